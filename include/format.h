/*
 * format.h - names shared by readers, writers and options: record formats,
 * input encodings, label languages.
 */
#ifndef ONEDOOR_FORMAT_H
#define ONEDOOR_FORMAT_H

enum fmt { FMT_AUTO, FMT_JSONL, FMT_CSV, FMT_TABLE, FMT_JSON, FMT_HTML };
enum enc { ENC_AUTO, ENC_UTF8, ENC_GB18030 };
enum lang { LANG_EN, LANG_ZH };

/* "jsonl"/"json-lines"/"ndjson" -> FMT_JSONL, "csv", "table", "json",
 * "html", "auto"; -1 when unknown. */
int fmt_parse(const char *s);
const char *fmt_name(int f);
int enc_parse(const char *s);		/* "utf-8"/"utf8", "gb18030"/"gbk", "auto" */
int lang_parse(const char *s);		/* "en", "zh" */

#endif
