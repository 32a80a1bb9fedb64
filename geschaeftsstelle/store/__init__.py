"""The store: the data model, opening and migrating the database, backups, integrity checks and the
change log. Everything above it (services, documents, command line, window) reaches the database
through here; nothing here imports what lies above."""
