# ruff: noqa: E501  (a data table: one concept a line reads better than wrapped lines)
"""A bilingual lexicon of frequent news terms: one concept key for its fr, en, es and ar words.

Written for akhbar. Each line is `concept | fr | en | es | ar`, words separated by commas; a word stands
for its inflections (the lookup strips plural endings and Arabic clitics the same way on both sides).
"""

from __future__ import annotations

LEXICON = """
inflation | inflation | inflation | inflacion | تضخم
price | prix | price | precio | سعر, اسعار
increase | hausse, augmentation | rise, increase | subida, aumento, alza | ارتفاع, زياده
decrease | baisse, recul | fall, decline, drop | bajada, descenso, caida | انخفاض, تراجع
rate | taux | rate | tasa, tipo | معدل, نسبه
bank | banque | bank | banco | بنك, مصرف
central | central, centrale | central | central | مركزي
economy | economie, economique | economy, economic | economia, economico | اقتصاد, اقتصادي
growth | croissance | growth | crecimiento | نمو
budget | budget | budget | presupuesto | ميزانيه, موازنه
tax | impot, taxe, fiscal | tax | impuesto, fiscal | ضريبه, ضرائب
debt | dette | debt | deuda | دين, ديون
export | exportation | export | exportacion | صادرات, تصدير
import | importation | import | importacion | واردات, استيراد
trade | commerce, commercial | trade | comercio, comercial | تجاره, تجاري
investment | investissement | investment | inversion | استثمار
company | entreprise, societe | company, firm | empresa, compania | شركه, مقاوله
market | marche | market | mercado | سوق, اسواق
unemployment | chomage | unemployment | desempleo, paro | بطاله
job | emploi | job, employment | empleo | شغل, تشغيل, وظيفه
worker | travailleur, ouvrier, salarie | worker, employee | trabajador | عامل, عمال
salary | salaire | wage, salary | salario, sueldo | اجر, اجور, راتب
strike | greve | strike | huelga | اضراب
union | syndicat | union | sindicato | نقابه
fuel | carburant, essence, gasoil | fuel, petrol, diesel | combustible, gasolina | محروقات, وقود
oil | petrole | oil | petroleo | نفط, بترول
gas | gaz | gas | gas | غاز
energy | energie | energy | energia | طاقه
electricity | electricite | electricity, power | electricidad | كهرباء
solar | solaire | solar | solar | شمسي
wind | eolien, vent | wind | eolico, viento | رياح
water | eau | water | agua | ماء, مياه
dam | barrage | dam | presa, embalse | سد, سدود
drought | secheresse | drought | sequia | جفاف
rain | pluie, precipitation | rain, rainfall | lluvia, precipitacion | مطر, امطار
flood | inondation, crue | flood, flooding | inundacion, crecida | فيضان, فيضانات, سيول
storm | tempete, orage, intemperie | storm | tormenta, temporal | عاصفه
snow | neige | snow | nieve | ثلج, ثلوج
heat | chaleur, canicule | heat, heatwave | calor | حراره, حر
weather | meteo, meteorologie, meteorologique | weather, forecast | meteorologia, tiempo | طقس, ارصاد
earthquake | seisme, tremblement | earthquake, quake | terremoto, sismo | زلزال, هزه
fire | incendie, feu | fire, blaze, wildfire | incendio, fuego | حريق, حرائق
school | ecole, scolaire, etablissement | school | escuela, colegio | مدرسه, مدارس
closed | ferme, fermeture | closed, closure, shut | cerrado, cierre | اغلاق, مغلق
class | cours, classe | class, lesson | clase | دراسه, حصص
student | eleve, etudiant | student, pupil | alumno, estudiante | تلميذ, تلاميذ, طالب, طلاب
teacher | enseignant, professeur | teacher | profesor, docente | استاذ, اساتذه, معلم
university | universite | university | universidad | جامعه
education | education, enseignement | education | educacion, ensenanza | تعليم, تربيه
health | sante | health | salud, sanidad | صحه, صحي
hospital | hopital | hospital | hospital | مستشفي
doctor | medecin | doctor | medico | طبيب, اطباء
patient | patient, malade | patient | paciente, enfermo | مريض, مرضي
vaccine | vaccin, vaccination | vaccine, vaccination | vacuna, vacunacion | لقاح, تلقيح
epidemic | epidemie | epidemic, outbreak | epidemia, brote | وباء
disease | maladie | disease, illness | enfermedad | مرض, امراض
death | mort, deces, tue | death, dead, killed | muerte, muerto, fallecido | وفاه, قتيل, قتلي, مصرع, موت
injured | blesse | injured, wounded | herido | جريح, جرحي, مصاب, اصابه
victim | victime | victim | victima | ضحيه, ضحايا
accident | accident | accident, crash | accidente | حادث, حادثه
road | route, routier | road | carretera | طريق, طرق
train | train, ferroviaire | train, rail, railway | tren, ferroviario | قطار, سكك
high-speed | tgv, grande vitesse | high-speed | alta velocidad, ave | فائق, السرعه
bus | bus, autobus, busway | bus | autobus | حافله, حافلات
tram | tramway | tram, tramway | tranvia | ترامواي
airport | aeroport | airport | aeropuerto | مطار
flight | vol, aerien | flight, airline | vuelo, aerolinea | رحله, رحلات, طيران
port | port, portuaire | port, harbour, harbor | puerto, portuario | ميناء, مرسي
ship | navire, bateau | ship, vessel, boat | barco, buque | سفينه, باخره
migrant | migrant, migration, immigre | migrant, migration | migrante, inmigrante, migracion | مهاجر, مهاجرين, هجره
border | frontiere | border | frontera | حدود, حدودي
tourism | tourisme, touriste | tourism, tourist | turismo, turista | سياحه, سياح
hotel | hotel | hotel | hotel | فندق
housing | logement | housing, home | vivienda | سكن, مساكن
city | ville | city, town | ciudad | مدينه
region | region | region | region | جهه, منطقه
village | village | village | pueblo, aldea | قريه, دوار
government | gouvernement | government, cabinet | gobierno | حكومه
minister | ministre, ministere | minister, ministry | ministro, ministerio | وزير, وزاره
prime-minister | premier | prime | primer | رئيس
president | president, presidence | president, presidency | presidente | رئيس, رئاسه
king | roi, royal | king, royal | rey, real | ملك, ملكي
parliament | parlement, deputes, depute, chambre | parliament, mp, lawmaker | parlamento, diputado, congreso | برلمان, نواب, مجلس
senate | senat, conseillers | senate | senado | مستشارين
election | election, electoral, scrutin, vote | election, vote, poll | eleccion, electoral, voto | انتخابات, انتخاب, تصويت, اقتراع
party | parti | party | partido | حزب, احزاب
law | loi, legislatif | law, bill | ley | قانون
reform | reforme | reform | reforma | اصلاح
decree | decret | decree | decreto | مرسوم
court | tribunal, cour | court | tribunal | محكمه
judge | juge | judge | juez | قاضي, قضاه
justice | justice, judiciaire | justice, judicial | justicia, judicial | عداله, قضاء, قضائي
trial | proces | trial | juicio | محاكمه
sentence | condamne, condamnation, peine | sentenced, sentence, jailed | condenado, condena | حكم, ادانه
prison | prison, emprisonnement | prison, jail | carcel, prision | سجن
arrest | arrestation, interpelle, arrete | arrest, arrested, detained | detenido, detencion, arresto | اعتقال, توقيف, ايقاف
police | police, policier | police | policia | شرطه, امن
investigation | enquete | investigation, inquiry, probe | investigacion, pesquisa | تحقيق
corruption | corruption | corruption, bribery | corrupcion | فساد, رشوه
fraud | fraude | fraud | fraude | احتيال, نصب
drug | drogue, stupefiant, cannabis | drug, narcotics, cannabis | droga, estupefaciente, hachis | مخدرات, حشيش
terrorism | terrorisme, terroriste | terrorism, terrorist | terrorismo, terrorista | ارهاب, ارهابي
attack | attaque, attentat | attack | ataque, atentado | هجوم, اعتداء
army | armee, militaire | army, military | ejercito, militar | جيش, عسكري
war | guerre | war | guerra | حرب
ceasefire | cessez-le-feu, treve | ceasefire, truce | alto el fuego, tregua | هدنه, النار
peace | paix | peace | paz | سلام
negotiation | negociation, pourparlers | negotiation, talks | negociacion | مفاوضات
agreement | accord, convention | agreement, deal, accord | acuerdo, convenio | اتفاق, اتفاقيه
summit | sommet | summit | cumbre | قمه
conference | conference | conference | conferencia | مؤتمر, ندوه
meeting | reunion, rencontre | meeting | reunion | اجتماع, لقاء
visit | visite | visit | visita | زياره
ambassador | ambassadeur, ambassade | ambassador, embassy | embajador, embajada | سفير, سفاره
diplomacy | diplomatie, diplomatique | diplomacy, diplomatic | diplomacia, diplomatico | دبلوماسي, دبلوماسيه
sanction | sanction | sanction | sancion | عقوبات
protest | manifestation, manifestant, protestation | protest, protester, demonstration | protesta, manifestacion | احتجاج, مظاهره, وقفه
press | presse, journal, journaliste | press, newspaper, journalist | prensa, periodico, periodista | صحافه, صحفي, صحيفه, جريده
publisher | editeur | publisher | editor | ناشر, ناشرين
federation | federation | federation | federacion | فيدراليه, جامعه, اتحاد
revelation | revelation | revelation | revelacion | كشف, تصريحات
freedom | liberte | freedom, liberty | libertad | حريه
rights | droits | rights | derechos | حقوق
women | femme | women, woman | mujer | امراه, نساء
child | enfant | child, children | nino | طفل, اطفال
youth | jeune, jeunesse | youth, young | joven, juventud | شباب
family | famille | family | familia | اسره, عائله
population | population, habitant | population, resident | poblacion, habitante | سكان, ساكنه
census | recensement | census | censo | احصاء
statistics | statistique, chiffre | statistics, figure, data | estadistica, cifra, dato | احصائيات, ارقام
report | rapport | report | informe | تقرير
study | etude | study, survey | estudio, encuesta | دراسه
project | projet | project, plan | proyecto, plan | مشروع
construction | construction, chantier | construction, building | construccion, obra | بناء, تشييد, اشغال
inauguration | inauguration, inaugure | inauguration, opened, opening | inauguracion, inaugurado | تدشين, افتتاح
launch | lancement, lance | launch, launched | lanzamiento, lanzado | اطلاق
program | programme | programme, program | programa | برنامج
agriculture | agriculture, agricole, agriculteur | agriculture, farm, farmer | agricultura, agricola, agricultor | فلاحه, زراعه, فلاح
harvest | recolte, campagne | harvest, crop | cosecha | محصول, موسم
wheat | ble, cereale | wheat, cereal, grain | trigo, cereal | قمح, حبوب
fish | peche, poisson | fishing, fish | pesca, pescado | صيد, سمك, اسماك
phosphate | phosphate | phosphate | fosfato | فوسفات
mine | mine, minier | mine, mining | mina, minero | منجم, معادن
industry | industrie, industriel, usine | industry, industrial, factory, plant | industria, industrial, fabrica | صناعه, مصنع, معمل
car | automobile, voiture, vehicule | car, vehicle, automotive | automovil, coche, vehiculo | سياره, سيارات
technology | technologie, numerique | technology, digital, tech | tecnologia, digital | تكنولوجيا, رقمي
internet | internet | internet, online | internet | انترنت
startup | startup, jeune pousse | startup, start-up | startup, emergente | ناشئه
innovation | innovation | innovation | innovacion | ابتكار
climate | climat, climatique | climate | clima, climatico | مناخ, مناخي
environment | environnement | environment | medio ambiente, ambiental | بيئه
pollution | pollution | pollution | contaminacion | تلوث
desalination | dessalement | desalination | desalinizacion, desaladora | تحليه
culture | culture, culturel | culture, cultural | cultura, cultural | ثقافه, ثقافي
book | livre | book | libro | كتاب, كتب
fair | salon, foire | fair, show, expo | feria, salon | معرض
festival | festival | festival | festival | مهرجان
film | film, cinema | film, movie, cinema | pelicula, cine | فيلم, سينما
music | musique, concert | music, concert | musica, concierto | موسيقي, حفل
museum | musee | museum | museo | متحف
writer | ecrivain, auteur | writer, author, novelist | escritor, autor | كاتب, مؤلف
prize | prix, recompense | award, prize | premio | جائزه
football | football, foot | football, soccer | futbol | كره, القدم
match | match, rencontre | match, game | partido, encuentro | مباراه, مقابله
derby | derby | derby | derbi | ديربي
championship | championnat, botola | league, championship | liga, campeonato | بطوله, دوري
cup | coupe | cup | copa | كاس
team | equipe, selection | team, squad | equipo, seleccion | فريق, منتخب
coach | entraineur, selectionneur | coach, manager | entrenador, seleccionador | مدرب
player | joueur | player | jugador | لاعب, لاعبين
goal | but | goal | gol | هدف, اهداف
victory | victoire, gagne | victory, win, won | victoria, gano | فوز, انتصار
defeat | defaite, perdu | defeat, loss, lost | derrota, perdio | هزيمه, خساره
draw | nul | draw | empate | تعادل
stadium | stade | stadium | estadio | ملعب
fan | supporter, supporteur | fan, supporter | aficionado, hincha | جمهور, مشجع
olympic | olympique | olympic | olimpico | اولمبي
world | monde, mondial | world, global | mundo, mundial | عالم, عالمي
africa | afrique, africain | africa, african | africa, africano | افريقيا, افريقي
europe | europe, europeen | europe, european | europa, europeo | اوروبا, اوروبي
morocco | maroc, marocain | morocco, moroccan | marruecos, marroqui | مغرب, مغربي
algeria | algerie, algerien | algeria, algerian | argelia, argelino | جزائر, جزائري
tunisia | tunisie, tunisien | tunisia, tunisian | tunez, tunecino | تونس, تونسي
egypt | egypte, egyptien | egypt, egyptian | egipto, egipcio | مصر, مصري
libya | libye, libyen | libya, libyan | libia, libio | ليبيا, ليبي
mauritania | mauritanie, mauritanien | mauritania, mauritanian | mauritania, mauritano | موريتانيا, موريتاني
senegal | senegal, senegalais | senegal, senegalese | senegal, senegales | سنغال, سنغالي
spain | espagne, espagnol | spain, spanish | espana, espanol | اسبانيا, اسباني
france | france, francais | france, french | francia, frances | فرنسا, فرنسي
usa | etats-unis, americain, washington | united states, us, american, washington | estados unidos, estadounidense, eeuu | امريكا, امريكي, الولايات, واشنطن
china | chine, chinois | china, chinese | china, chino | صين, صيني
russia | russie, russe | russia, russian | rusia, ruso | روسيا, روسي
ukraine | ukraine, ukrainien | ukraine, ukrainian | ucrania, ucraniano | اوكرانيا, اوكراني
palestine | palestine, palestinien | palestine, palestinian | palestina, palestino | فلسطين, فلسطيني
gaza | gaza | gaza | gaza | غزه
israel | israel, israelien | israel, israeli | israel, israeli | اسرائيل, اسرائيلي
saudi | saoudite, saoudien | saudi | saudi, saudita | سعوديه, سعودي
un | onu, nations unies | un, united nations | onu, naciones unidas | امم, المتحده
eu | ue, union europeenne | eu, european union | ue, union europea | الاتحاد, الاوروبي
imf | fmi | imf | fmi | صندوق, النقد
casablanca | casablanca, casa | casablanca | casablanca | البيضاء, الدار
rabat | rabat | rabat | rabat | رباط
marrakech | marrakech | marrakesh, marrakech | marrakech | مراكش
tangier | tanger | tangier, tangiers | tanger | طنجه
tetouan | tetouan | tetouan | tetuan | تطوان
fes | fes | fez, fes | fez | فاس
agadir | agadir | agadir | agadir | اكادير
dakhla | dakhla | dakhla | dajla | داخله
laayoune | laayoune | laayoune | el aaiun | عيون
oujda | oujda | oujda | uchda | وجده
meknes | meknes | meknes | mequinez | مكناس
ouarzazate | ouarzazate | ouarzazate | uarzazat | ورزازات
sahara | sahara | sahara | sahara | صحراء
atlas | atlas | atlas | atlas | اطلس
atlantic | atlantique | atlantic | atlantico | اطلسي, الاطلسي
mediterranean | mediterranee | mediterranean | mediterraneo | متوسط
dakar | dakar | dakar | dakar | داكار
paris | paris | paris | paris | باريس
madrid | madrid | madrid | madrid | مدريد
january | janvier | january | enero | يناير, جانفي
february | fevrier | february | febrero | فبراير, فيفري
march | mars | march | marzo | مارس
april | avril | april | abril | ابريل, افريل
may | mai | may | mayo | ماي, مايو
june | juin | june | junio | يونيو, جوان
july | juillet | july | julio | يوليو, جويليه
august | aout | august | agosto | غشت, اغسطس, اوت
september | septembre | september | septiembre | شتنبر, سبتمبر
october | octobre | october | octubre | اكتوبر
november | novembre | november | noviembre | نونبر, نوفمبر
december | decembre | december | diciembre | دجنبر, ديسمبر
monday | lundi | monday | lunes | اثنين
tuesday | mardi | tuesday | martes | ثلاثاء
wednesday | mercredi | wednesday | miercoles | اربعاء
thursday | jeudi | thursday | jueves | خميس
friday | vendredi | friday | viernes | جمعه
saturday | samedi | saturday | sabado | سبت
sunday | dimanche | sunday | domingo | احد
million | million | million | millon | مليون, ملايين
billion | milliard | billion | mil millones, millardo | مليار, ملايير
percent | pour cent, % | percent, per cent | por ciento | بالمئه, المائه
dirham | dirham, dh, mdh | dirham | dirham | درهم, دراهم
euro | euro | euro | euro | يورو
dollar | dollar | dollar | dolar | دولار
year | an, annee, annuel | year, annual | ano, anual | سنه, عام
month | mois, mensuel | month, monthly | mes, mensual | شهر
week | semaine | week | semana | اسبوع
day | jour | day | dia | يوم
kilometre | kilometre, km | kilometre, kilometer, km, mile | kilometro, km | كيلومتر, كلم
ton | tonne | ton, tonne | tonelada | طن, اطنان
hectare | hectare | hectare | hectarea | هكتار
megawatt | megawatt, mw | megawatt, mw | megavatio, mw | ميغاواط
"""
