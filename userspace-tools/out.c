// SPDX-License-Identifier: GPL-2.0
/*
 * Output without a printf per field (P9: 20,000 sockets listed as fast as
 * `ss -ti` lists them): a buffer written to its FILE when full, and JSON
 * written as it is made - or made as a json-c tree, from the same calls,
 * where a caller wants the tree (-p, watch, monitor).  The text is the
 * bytes json-c prints for that tree with JSON_C_TO_STRING_PLAIN |
 * JSON_C_TO_STRING_NOSLASHESCAPE (tt_json_str without -p): the same
 * escapes, integers, doubles ("%.17g", ".0" added to a whole number) and
 * separators; the unit test and the fuzzer compare the two.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tcptune.h"

void tt_out_init(struct tt_out *o, FILE *f)
{
	o->f = f;
	o->len = 0;
}

void tt_out_flush(struct tt_out *o)
{
	if (o->len)
		fwrite(o->buf, 1, o->len, o->f);
	o->len = 0;
}

void tt_out_mem(struct tt_out *o, const char *s, size_t n)
{
	if (n > sizeof(o->buf) - o->len) {
		tt_out_flush(o);
		if (n > sizeof(o->buf)) {
			fwrite(s, 1, n, o->f);
			return;
		}
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

/* Room for n more bytes, at the end of the buffer. */
static char *out_room(struct tt_out *o, size_t n)
{
	if (n > sizeof(o->buf) - o->len)
		tt_out_flush(o);
	return o->buf + o->len;
}

void tt_out_u64(struct tt_out *o, uint64_t v)
{
	char d[20];

	tt_out_mem(o, d, (size_t)(tt_fmt_u64(d, v) - d));
}

void tt_out_x64(struct tt_out *o, uint64_t v)
{
	static const char hex[] = "0123456789abcdef";
	char d[16], *p = d + sizeof(d);

	do {
		*--p = hex[v & 0xf];
		v >>= 4;
	} while (v);
	tt_out_mem(o, p, (size_t)(d + sizeof(d) - p));
}

/* s, then spaces to width: printf's %-*s. */
void tt_out_pad(struct tt_out *o, const char *s, int width)
{
	size_t n = strlen(s);

	tt_out_mem(o, s, n);
	for (; (int)n < width; n++)
		tt_out_c(o, ' ');
}

void tt_out_fmt(struct tt_out *o, const char *fmt, ...)
{
	va_list ap;
	size_t room;
	int n;

	va_start(ap, fmt);
	room = sizeof(o->buf) - o->len;
	n = vsnprintf(o->buf + o->len, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < room) {
		o->len += (size_t)n;
		return;
	}
	/* did not fit: again at the start of an empty buffer, or apart */
	tt_out_flush(o);
	va_start(ap, fmt);
	if ((size_t)n < sizeof(o->buf))
		o->len = (size_t)vsnprintf(o->buf, sizeof(o->buf), fmt, ap);
	else
		vfprintf(o->f, fmt, ap);
	va_end(ap);
}

/* ---- JSON -------------------------------------------------------------------- */

void tt_jw_text(struct tt_jw *w, struct tt_out *o)
{
	memset(w, 0, sizeof(*w));
	w->o = o;
}

void tt_jw_tree(struct tt_jw *w, json_object *into)
{
	memset(w, 0, sizeof(*w));
	if (into) {
		w->stack[0] = into;
		w->depth = 1;
	}
}

/*
 * What json-c writes for each byte of a string: 0 the byte itself, 'u'
 * \u00XX, else a backslash and that letter (no "\/": NOSLASHESCAPE).
 */
static const char jw_esc[256] = {
	['\b'] = 'b', ['\t'] = 't', ['\n'] = 'n', ['\f'] = 'f', ['\r'] = 'r',
	[1] = 'u', [2] = 'u', [3] = 'u', [4] = 'u', [5] = 'u', [6] = 'u', [7] = 'u',
	[11] = 'u', [14] = 'u', [15] = 'u', [16] = 'u', [17] = 'u', [18] = 'u', [19] = 'u',
	[20] = 'u', [21] = 'u', [22] = 'u', [23] = 'u', [24] = 'u', [25] = 'u', [26] = 'u',
	[27] = 'u', [28] = 'u', [29] = 'u', [30] = 'u', [31] = 'u',
	['"'] = '"', ['\\'] = '\\',
};

static void jw_escaped(struct tt_out *o, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s;

	tt_out_c(o, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char e = jw_esc[c];

		if (!e)
			continue;
		tt_out_mem(o, run, (size_t)(s - run));
		run = s + 1;
		if (e != 'u') {
			char esc[2] = { '\\', e };

			tt_out_mem(o, esc, 2);
		} else {
			char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf] };

			tt_out_mem(o, u, sizeof(u));
		}
	}
	tt_out_mem(o, run, (size_t)(s - run));
	tt_out_c(o, '"');
}

/* Text: the separator and key before a value (key NULL in an array). */
static void jw_key(struct tt_jw *w, const char *key)
{
	if (w->depth && w->depth <= TT_JW_DEPTH) {
		if (w->more[w->depth - 1])
			tt_out_c(w->o, ',');
		w->more[w->depth - 1] = true;
	}
	if (key) {
		/* the program's own constants, nothing in them to escape */
		tt_out_c(w->o, '"');
		tt_out_s(w->o, key);
		tt_out_mem(w->o, "\":", 2);
	}
}

/* Tree: v into the innermost object or array (or as the root). */
static void jw_add(struct tt_jw *w, const char *key, json_object *v)
{
	json_object *in = w->depth && w->depth <= TT_JW_DEPTH ? w->stack[w->depth - 1] : NULL;

	if (!in) {
		json_object_put(w->root);
		w->root = v;
	} else if (key) {
		/* keys are string constants, each added once: no copy, no lookup */
		json_object_object_add_ex(in, key, v, JSON_C_OBJECT_ADD_KEY_IS_NEW |
					  JSON_C_OBJECT_KEY_IS_CONSTANT);
	} else {
		json_object_array_add(in, v);
	}
}

static void jw_open(struct tt_jw *w, const char *key, bool array)
{
	if (w->o) {
		jw_key(w, key);
		tt_out_c(w->o, array ? '[' : '{');
	} else {
		json_object *v = array ? json_object_new_array() : json_object_new_object();

		jw_add(w, key, v);
		if (w->depth < TT_JW_DEPTH)
			w->stack[w->depth] = v;
	}
	if (w->depth < TT_JW_DEPTH)
		w->more[w->depth] = false;
	w->depth++;
}

static void jw_close(struct tt_jw *w, bool array)
{
	w->depth--;
	if (w->o)
		tt_out_c(w->o, array ? ']' : '}');
}

void tt_jw_obj(struct tt_jw *w, const char *key)
{
	jw_open(w, key, false);
}

void tt_jw_obj_end(struct tt_jw *w)
{
	jw_close(w, false);
}

void tt_jw_arr(struct tt_jw *w, const char *key)
{
	jw_open(w, key, true);
}

void tt_jw_arr_end(struct tt_jw *w)
{
	jw_close(w, true);
}

void tt_jw_null(struct tt_jw *w, const char *key)
{
	if (!w->o) {
		jw_add(w, key, NULL);
		return;
	}
	jw_key(w, key);
	tt_out_mem(w->o, "null", 4);
}

void tt_jw_u64(struct tt_jw *w, const char *key, uint64_t v)
{
	if (!w->o) {
		jw_add(w, key, json_object_new_uint64(v));
		return;
	}
	jw_key(w, key);
	tt_out_u64(w->o, v);
}

void tt_jw_int(struct tt_jw *w, const char *key, int v)
{
	if (!w->o) {
		jw_add(w, key, json_object_new_int(v));
		return;
	}
	jw_key(w, key);
	if (v < 0)
		tt_out_c(w->o, '-');
	tt_out_u64(w->o, v < 0 ? -(uint64_t)v : (uint64_t)v);
}

void tt_jw_bool(struct tt_jw *w, const char *key, bool v)
{
	if (!w->o) {
		jw_add(w, key, json_object_new_boolean(v));
		return;
	}
	jw_key(w, key);
	if (v)
		tt_out_mem(w->o, "true", 4);
	else
		tt_out_mem(w->o, "false", 5);
}

/* The length of the well-formed UTF-8 sequence at s (RFC 3629), 0 if none. */
static size_t utf8_seq(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;	/* overlong */
	else if (s[0] == 0xed)
		hi = 0x9f;	/* surrogates */
	else if (s[0] == 0xf0)
		lo = 0x90;	/* overlong */
	else if (s[0] == 0xf4)
		hi = 0x8f;	/* above U+10FFFF */
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

/*
 * JSON text is UTF-8 (RFC 8259): a string that is not (a process name is
 * any 15 bytes, and may end inside a character; a cgroup directory any
 * bytes) gets U+FFFD for each byte that starts no well-formed sequence.
 * NULL if s is well-formed (the usual case: nothing allocated) or on ENOMEM.
 */
char *tt_utf8_fix(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, len = 0;
	char *out, *q;

	for (; *p; p += n ? n : 1, len += n ? n : 3)
		n = utf8_seq(p);
	if (len == strlen(s))
		return NULL;
	out = malloc(len + 1);
	if (!out)
		return NULL;
	for (p = (const unsigned char *)s, q = out; *p; p += n ? n : 1) {
		n = utf8_seq(p);
		if (n) {
			memcpy(q, p, n);
			q += n;
		} else {
			memcpy(q, "\xef\xbf\xbd", 3);
			q += 3;
		}
	}
	*q = '\0';
	return out;
}

void tt_jw_str(struct tt_jw *w, const char *key, const char *v)
{
	char *fixed = tt_utf8_fix(v);

	if (fixed)
		v = fixed;
	if (!w->o) {
		jw_add(w, key, json_object_new_string(v));
	} else {
		jw_key(w, key);
		jw_escaped(w->o, v);
	}
	free(fixed);
}

void tt_jw_double(struct tt_jw *w, const char *key, double v)
{
	char *p;
	int n;

	if (!w->o) {
		jw_add(w, key, json_object_new_double(v));
		return;
	}
	jw_key(w, key);
	if (isnan(v) || isinf(v)) {
		tt_out_s(w->o, isnan(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
		return;
	}
	p = out_room(w->o, 32);
	n = snprintf(p, 32, "%.17g", v);
	if (n <= 0 || n >= 30)
		return;
	/* a whole number still reads as a double: "2.0" */
	if (!memchr(p, '.', (size_t)n) && !memchr(p, 'e', (size_t)n)) {
		memcpy(p + n, ".0", 2);
		n += 2;
	}
	w->o->len += (size_t)n;
}
