"""VNeID sign-in: an OpenID Connect client (client.py), the claims it accepts (identity.py) and a local
simulator of the provider (simulator.py, ``manage.py vneid_simulator``).

The English catalogue in motcua/integrations/locale also holds the portal's sign-in pages (their
strings live with the feature, not in the root catalogue). To rebuild it, from motcua/integrations:

    mkdir _s && ln -s ../../portal/signin*.py ../../portal/templates/portal/signin*.html _s/
    django-admin makemessages -l en --symlinks --no-location; rm -r _s
    # fill in the msgstr entries, then: django-admin compilemessages
"""
