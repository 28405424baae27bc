// Imported first by the CLI, before any module creates a logger or an AWS client: the handlers
// log every webhook at INFO, and the SDK warns about Node 20 on every client.
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
