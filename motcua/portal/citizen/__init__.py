"""The citizen's side of the portal: online submission and "my dossiers" (issue 10)."""
