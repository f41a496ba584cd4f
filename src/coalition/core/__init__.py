"""The core every capability stands on: settings, database, markings, audit, auth, errors."""
