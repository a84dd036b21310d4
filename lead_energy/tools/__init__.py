# Pure helpers without the ORM: importable and testable without a database.
