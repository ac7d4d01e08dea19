"""The public postal service (RULES.md §7): pick-up of a dossier from the citizen, delivery of a result,
tracking pushed by the post's webhook and pulled by us. A client and a real-HTTP simulator; nothing here
knows a dossier (``motcua.dossiers.actions.postal`` decides what an update changes)."""
