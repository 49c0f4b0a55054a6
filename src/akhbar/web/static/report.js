// Posts an image report in place and shows the answer under the image; without this file the control's
// form leads to the report page, which posts and shows the same answer.
(function () {
  "use strict";
  if (window.akhbarReport) {
    return;
  }
  window.akhbarReport = true;

  function show(form, text) {
    var box = form.querySelector(".image-report-message");
    if (box) {
      box.textContent = text;
    }
  }

  function post(form, token) {
    return fetch("/img/report", {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRF-Token": token, Accept: "application/json" },
      body: new URLSearchParams(new FormData(form)),
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("image-report")) {
      return;
    }
    event.preventDefault();
    var button = form.querySelector("button");
    if (button) {
      button.disabled = true;
    }
    fetch("/img/report-token", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (answer) {
        if (!answer.ok) {
          throw new Error("no token");
        }
        return answer.json();
      })
      .then(function (data) {
        return post(form, data.token);
      })
      .then(function (answer) {
        return answer.json();
      })
      .then(function (data) {
        show(form, data.message);
      })
      .catch(function () {
        form.submit(); // the report page still works
      });
  });
})();
