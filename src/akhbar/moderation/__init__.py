"""Image reports, automatic blocking thresholds, moderators' actions and the audit log.

The SQL lives in store/moderation.py; the reader endpoints in web/report.py and the moderators' pages in
web/moderation.py. This package holds what both share and what needs no database: the policy and reporters.
"""
