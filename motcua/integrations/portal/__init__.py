"""The National Public Service Portal (Cổng DVCQG, RULES.md §10): every dossier's record and process history
are pushed to it. A client and a real-HTTP simulator; nothing here knows a dossier
(``motcua.dossiers.portal_record`` builds what is sent, ``motcua.dossiers.portal_jobs`` sends it)."""
