/**
 * Imported first by the bench: the handlers' Powertools loggers read their level when they are
 * created, at import. Their per-request JSON lines would bury the table on stdout; errors still
 * show. Set `POWERTOOLS_LOG_LEVEL` yourself to see them.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
