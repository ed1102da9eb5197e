/**
 * Settings the local runtime needs before any handler module loads: the functions' logger and
 * metrics read them when they are created, at import time. `main.ts` imports this module first
 * (imports run in order, before the importing module's own code).
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN';
// CloudWatch metrics have no reader here; the request log line carries the same figures.
process.env.POWERTOOLS_METRICS_DISABLED = process.env.POWERTOOLS_METRICS_DISABLED ?? 'true';
