/*
 * format.c - names of formats, encodings and languages.  See format.h.
 */
#include <string.h>

#include "format.h"

static const struct {
	const char *name;
	int val;
} fmts[] = {
	{ "auto", FMT_AUTO }, { "jsonl", FMT_JSONL }, { "json-lines", FMT_JSONL },
	{ "ndjson", FMT_JSONL }, { "csv", FMT_CSV }, { "table", FMT_TABLE },
	{ "json", FMT_JSON }, { "html", FMT_HTML },
}, encs[] = {
	{ "auto", ENC_AUTO }, { "utf-8", ENC_UTF8 }, { "utf8", ENC_UTF8 },
	{ "gb18030", ENC_GB18030 }, { "gbk", ENC_GB18030 }, { "gb2312", ENC_GB18030 },
}, langs[] = {
	{ "en", LANG_EN }, { "zh", LANG_ZH },
};

#define LOOKUP(tab, s) do { size_t i_; \
	for (i_ = 0; i_ < sizeof tab / sizeof tab[0]; i_++) \
		if (strcmp(tab[i_].name, s) == 0) return tab[i_].val; \
	return -1; } while (0)

int fmt_parse(const char *s) { LOOKUP(fmts, s); }
int enc_parse(const char *s) { LOOKUP(encs, s); }
int lang_parse(const char *s) { LOOKUP(langs, s); }

const char *fmt_name(int f)
{
	size_t i;

	for (i = 0; i < sizeof fmts / sizeof fmts[0]; i++)
		if (fmts[i].val == f)
			return fmts[i].name;
	return "?";
}
