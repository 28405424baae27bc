// Imported first by the local command-line tools (simulate, bench), before any module creates a
// logger or an AWS client: the handlers log every webhook at INFO, which would bury the tools'
// own output, and the SDK warns about Node 20 on every client. Set POWERTOOLS_LOG_LEVEL to see logs.
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
