"""Storage: the database, its migrations, and every query the service makes."""
