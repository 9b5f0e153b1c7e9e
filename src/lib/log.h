/* log.h - structured log lines on stderr: `ts=... level=... event=... key=value ...`.
 *
 * One line per event so that logs can be grepped and parsed; values given with
 * log_kv are quoted when they hold spaces, quotes or control characters. */
#ifndef SALDO_LOG_H
#define SALDO_LOG_H

typedef enum { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_LEVEL_COUNT } log_level;

void log_set_level(log_level min);
/* fmt produces the key=value tail (use log_quote for free text values). */
void log_event(log_level lvl, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Quote a value for a log line into out (always NUL-terminated). */
const char *log_quote(char *out, unsigned long out_size, const char *value);

#define log_info(ev, ...) log_event(LOG_INFO, ev, __VA_ARGS__)
#define log_warn(ev, ...) log_event(LOG_WARN, ev, __VA_ARGS__)
#define log_error(ev, ...) log_event(LOG_ERROR, ev, __VA_ARGS__)

#endif
