"""The staff office: thin views over ``motcua.dossiers.actions`` (every rule is there)."""
