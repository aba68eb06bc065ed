// SPDX-License-Identifier: GPL-2.0
/*
 * tcptune set ALGO.KNOB=VALUE...: one TCPTUNE_CMD_KNOB_SET carrying a
 * TCPTUNE_A_KNOB nest per assignment, so the kernel applies all or none.
 * Names and ranges are checked here first against the kernel's own knob
 * table (nearest names, the range); -f leaves every check to the kernel,
 * whose extack then names the knob at fault.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "tcptune.h"

struct assign {
	char *algo, *name, *text;
	uint32_t value;
	const struct tt_knob *knob;	/* NULL with -f */
	uint32_t nest_off, nest_len;	/* where its nest sits in the request */
};

static int parse_value(const char *text, const struct tt_knob *k, uint32_t *v)
{
	bool is_bool = !k || !strcmp(k->unit, "bool");

	if (is_bool && (!strcasecmp(text, "on") || !strcasecmp(text, "true") ||
			!strcasecmp(text, "yes"))) {
		*v = 1;
		return 0;
	}
	if (is_bool && (!strcasecmp(text, "off") || !strcasecmp(text, "false") ||
			!strcasecmp(text, "no"))) {
		*v = 0;
		return 0;
	}
	return tt_parse_u32(text, v);
}

/*
 * The KNOB_SET request for as[0..n) in buf (size bytes), every put checked
 * against the size.  Returns -1 if it fits, else the index of the first
 * assignment that does not.
 */
static int build_request(struct tt_ctx *ctx, char *buf, size_t size,
			 struct assign *as, int n)
{
	struct nlmsghdr *nlh = tt_genl_msg(ctx, buf, TCPTUNE_CMD_KNOB_SET, NLM_F_ACK);
	int i;

	for (i = 0; i < n; i++) {
		struct nlattr *nest;

		as[i].nest_off = nlh->nlmsg_len;
		nest = mnl_attr_nest_start_check(nlh, size, TCPTUNE_A_KNOB);
		if (!nest ||
		    !mnl_attr_put_strz_check(nlh, size, TCPTUNE_KNOB_A_ALGO, as[i].algo) ||
		    !mnl_attr_put_strz_check(nlh, size, TCPTUNE_KNOB_A_NAME, as[i].name) ||
		    !mnl_attr_put_u32_check(nlh, size, TCPTUNE_KNOB_A_VALUE, as[i].value))
			return i;
		mnl_attr_nest_end(nlh, nest);
		as[i].nest_len = nlh->nlmsg_len - as[i].nest_off;
	}
	return -1;
}

int cmd_set(struct tt_ctx *ctx, int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct tt_knobdb db = { 0 };
	struct assign *as;
	struct nlmsghdr *nlh;
	struct tt_nlerr err;
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	bool force = false;
	uint32_t seq;
	int i, j, n = 0, r = 0, opt;

	while ((opt = tt_getopt(ctx, tt_cmd_find("set"), argc, argv, "f", opts)) != -1) {
		if (opt != 'f')
			return TT_EXIT_USAGE;
		force = true;
	}
	as = calloc((size_t)argc, sizeof(*as));
	if (!as)
		return TT_EXIT_KERNEL;
	for (i = optind; i < argc; i++) {
		char *a = argv[i], *eq, *dot;

		eq = strchr(a, '=');
		if (!strncmp(a, "net.tcptune.", 12))	/* the sysctl name works too */
			a += 12;
		dot = strchr(a, '.');
		if (!eq || !dot || dot > eq) {
			tt_err("set: \"%s\" is not ALGO.KNOB=VALUE (e.g. reno.beta=70)", argv[i]);
			free(as);
			return TT_EXIT_USAGE;
		}
		*dot = '\0';
		*eq = '\0';
		as[n].algo = (char *)tt_algo_short(a);
		as[n].name = dot + 1;
		as[n].text = eq + 1;
		for (j = 0; j < n; j++) {
			if (!strcmp(as[j].algo, as[n].algo) && !strcmp(as[j].name, as[n].name)) {
				tt_err("set: %s.%s is given twice", as[n].algo, as[n].name);
				free(as);
				return TT_EXIT_USAGE;
			}
		}
		n++;
	}
	if (!n) {
		tt_err("set: nothing to set");
		free(as);
		return tt_cmd_usage(tt_cmd_find("set"), stderr, TT_EXIT_USAGE);
	}

	/* Whether the request fits, before anything is asked or sent. */
	seq = ctx->seq;
	i = build_request(ctx, buf, sizeof(buf), as, n);
	ctx->seq = seq;
	if (i >= 0) {
		if (i == 0 || strlen(as[i].algo) + strlen(as[i].name) > 200)
			tt_err("set: %.24s.%.24s...: too long, a request has room for %zu bytes",
			       as[i].algo, as[i].name, sizeof(buf));
		else
			tt_err("set: %d assignments do not fit in one request (%zu bytes): %d do",
			       n, sizeof(buf), i);
		tt_note("nothing was changed");
		r = TT_EXIT_INVALID;
		goto out;
	}

	/*
	 * A value that is no value of any knob is the user's error whether
	 * or not the module is there (it was "not loaded", exit 4); the
	 * knob's range, where the module can say it.
	 */
	for (i = 0; i < n; i++) {
		const struct tt_knob *k = NULL;
		struct stat st;
		uint32_t v;

		if (!parse_value(as[i].text, NULL, &v))
			continue;
		if (!force && !stat("/sys/module/tcptune", &st) && !tt_knobdb_load(ctx, &db))
			k = tt_knobdb_find(&db, as[i].algo, as[i].name);
		tt_err("%s.%s: invalid value \"%s\"", as[i].algo, as[i].name, as[i].text);
		if (k)
			tt_note("expected an integer in %u..%u (%s)", k->min, k->max, k->unit);
		else
			tt_note("expected an unsigned 32-bit integer, or on/off (yes/no, true/false)");
		tt_note("nothing was changed");
		r = TT_EXIT_INVALID;
		goto out;
	}

	if (!force) {
		r = tt_knobdb_load(ctx, &db);
		if (r)
			goto out;
	} else {
		r = tt_genl_open(ctx);
		if (r)
			goto out;
	}
	for (i = 0; i < n; i++) {
		char full[160];

		snprintf(full, sizeof(full), "%s.%s", as[i].algo, as[i].name);
		if (!force) {
			as[i].knob = tt_knobdb_find(&db, as[i].algo, as[i].name);
			if (!as[i].knob) {
				r = tt_knob_unknown(&db, as[i].algo, as[i].name, full);
				goto out;
			}
		}
		if (parse_value(as[i].text, as[i].knob, &as[i].value)) {
			tt_err("%s: invalid value \"%s\"", full, as[i].text);
			if (as[i].knob)
				tt_note("expected an integer in %u..%u (%s)", as[i].knob->min,
					as[i].knob->max, as[i].knob->unit);
			else
				tt_note("expected an unsigned 32-bit integer");
			tt_note("nothing was changed");
			r = TT_EXIT_INVALID;
			goto out;
		}
		if (as[i].knob && (as[i].value < as[i].knob->min || as[i].value > as[i].knob->max)) {
			tt_err("%s=%u: out of range: %u..%u (%s)", full, as[i].value,
			       as[i].knob->min, as[i].knob->max, as[i].knob->unit);
			tt_note("nothing was changed");
			r = TT_EXIT_INVALID;
			goto out;
		}
	}
	if (!tt_cmd_supported(ctx, TCPTUNE_CMD_KNOB_SET)) {
		tt_err("the loaded tcptune module does not offer KNOB_SET");
		r = TT_EXIT_KERNEL;
		goto out;
	}

	/* again with the values and the family: the same size, so it fits */
	build_request(ctx, buf, sizeof(buf), as, n);
	nlh = (struct nlmsghdr *)buf;
	if (tt_nl_talk(ctx, ctx->nl, nlh, sizeof(struct genlmsghdr),
		       sizeof(struct genlmsghdr), NULL, NULL, &err) < 0) {
		const struct assign *bad = NULL;
		char what[200] = "setting the knobs";

		for (i = 0; err.offset && i < n; i++)
			if (err.offset >= as[i].nest_off &&
			    err.offset < as[i].nest_off + as[i].nest_len)
				bad = &as[i];
		if (bad)
			snprintf(what, sizeof(what), "%s.%s=%s", bad->algo, bad->name, bad->text);
		r = tt_nlerr_report(&err, what);
		if (r == TT_EXIT_INVALID && bad && !force) {
			tt_note("range %u..%u (%s)", bad->knob->min, bad->knob->max, bad->knob->unit);
		}
		if (r == TT_EXIT_INVALID || r == TT_EXIT_PERM)
			tt_note("nothing was changed");
		goto out;
	}

	if (ctx->json) {
		json_object *arr = json_object_new_array();

		for (i = 0; i < n; i++) {
			json_object *o = json_object_new_object();

			json_object_object_add(o, "algo", json_object_new_string(as[i].algo));
			json_object_object_add(o, "name", json_object_new_string(as[i].name));
			if (as[i].knob)
				json_object_object_add(o, "old", json_object_new_uint64(as[i].knob->value));
			json_object_object_add(o, "value", json_object_new_uint64(as[i].value));
			json_object_array_add(arr, o);
		}
		tt_json_print(ctx, arr);
		json_object_put(arr);
	} else {
		for (i = 0; i < n; i++) {
			if (as[i].knob)
				printf("%s.%s = %u (was %u)\n", as[i].algo, as[i].name,
				       as[i].value, as[i].knob->value);
			else
				printf("%s.%s = %u\n", as[i].algo, as[i].name, as[i].value);
		}
	}
	r = 0;
out:
	tt_knobdb_free(&db);
	free(as);
	return r;
}
