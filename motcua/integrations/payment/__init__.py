"""Online fee payment (RULES.md §8): the gateway's protocol, a client and a local simulator of the gateway.

Nothing here knows a dossier: the client speaks in references, amounts and answers; the dossier app's
actions (``motcua.dossiers.actions.payments``) decide what an answer changes.
"""
