// SPDX-License-Identifier: GPL-2.0
/*
 * tcptune knobs [ALGO | ALGO.KNOB]: TCPTUNE_CMD_KNOB_GET (dump) - every
 * knob with its value, default, range, unit, when a change reaches
 * connections and its one-line doc, as the kernel's knob table says.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "tcptune.h"

/* When a change applies, in the same words in text and JSON. */
static const char *when_name(int when)
{
	switch (when) {
	case TCPTUNE_KNOB_LIVE: return "live";
	case TCPTUNE_KNOB_START: return "new-conn";
	}
	return "unknown";
}

json_object *tt_knob_json(const struct tt_knob *k)
{
	json_object *o = json_object_new_object();
	char sysctl[160];

	json_object_object_add(o, "algo", json_object_new_string(k->algo));
	json_object_object_add(o, "name", json_object_new_string(k->name));
	json_object_object_add(o, "value", json_object_new_uint64(k->value));
	json_object_object_add(o, "default", json_object_new_uint64(k->def));
	json_object_object_add(o, "min", json_object_new_uint64(k->min));
	json_object_object_add(o, "max", json_object_new_uint64(k->max));
	json_object_object_add(o, "unit", json_object_new_string(k->unit));
	json_object_object_add(o, "when", json_object_new_string(when_name(k->when)));
	json_object_object_add(o, "doc", json_object_new_string(k->doc ? k->doc : ""));
	snprintf(sysctl, sizeof(sysctl), "net.tcptune.%s.%s", k->algo, k->name);
	json_object_object_add(o, "sysctl", json_object_new_string(sysctl));
	return o;
}

/* Error for an unknown ALGO or ALGO.KNOB, with the nearest names. */
int tt_knob_unknown(const struct tt_knobdb *db, const char *algo,
		    const char *name, const char *given)
{
	const char **names = calloc(db->n * 2 + 1, sizeof(char *));
	size_t i, n = 0;
	char buf[512];

	if (!names)
		return TT_EXIT_KERNEL;
	if (algo && !tt_knobdb_has_algo(db, algo)) {
		for (i = 0; i < db->n; i++)
			names[n++] = db->v[i].algo;
		tt_err("unknown algorithm \"%s\"", algo);
		tt_suggest_print(algo, names, n);
		tt_note("the algorithms with knobs: `tcptune knobs`");
	} else {
		for (i = 0; i < db->n; i++)
			names[n++] = db->v[i].full;
		/* the knob part alone also finds "reno.beta" for "bta" */
		tt_err("unknown knob \"%s\"", given);
		if (!tt_suggest(given, names, n, buf, sizeof(buf)) && name) {
			n = 0;
			for (i = 0; i < db->n; i++)
				if (!strcmp(db->v[i].algo, tt_algo_short(algo)))
					names[n++] = db->v[i].name;
			if (tt_suggest(name, names, n, buf, sizeof(buf)))
				tt_note("did you mean: %s (of %s)?", buf, tt_algo_short(algo));
		} else {
			tt_suggest_print(given, names, n);
		}
		tt_note("list them with `tcptune knobs%s%s`", algo ? " " : "",
			algo ? tt_algo_short(algo) : "");
	}
	free(names);
	return TT_EXIT_INVALID;
}

int cmd_knobs(struct tt_ctx *ctx, int argc, char **argv)
{
	struct tt_knobdb db = { 0 };
	const char *algo = NULL;
	char *knob = NULL, *arg = NULL;
	size_t i, shown = 0;
	int r, k;

	if (tt_getopt(ctx, tt_cmd_find("knobs"), argc, argv, "", NULL) != -1)
		return TT_EXIT_USAGE;
	k = optind;
	if (k < argc && (!strcmp(argv[k], "show") || !strcmp(argv[k], "list")))
		k++;
	if (k < argc)
		arg = argv[k++];
	if (k < argc) {
		tt_err("knobs: unexpected argument \"%s\"", argv[k]);
		return tt_cmd_usage(tt_cmd_find("knobs"), stderr, TT_EXIT_USAGE);
	}
	r = tt_knobdb_load(ctx, &db);
	if (r)
		return r;
	if (arg) {
		/* ALGO or ALGO.KNOB; a sysctl name net.tcptune.ALGO.KNOB too */
		if (!strncmp(arg, "net.tcptune.", 12))
			arg += 12;
		algo = arg;
		knob = strchr(arg, '.');
		if (knob)
			*knob++ = '\0';
		if (!tt_knobdb_has_algo(&db, algo) ||
		    (knob && !tt_knobdb_find(&db, algo, knob))) {
			char given[160];

			snprintf(given, sizeof(given), "%s%s%s", algo, knob ? "." : "",
				 knob ? knob : "");
			r = tt_knob_unknown(&db, algo, knob, given);
			tt_knobdb_free(&db);
			return r;
		}
	}

	if (ctx->json) {
		json_object *arr = json_object_new_array();

		for (i = 0; i < db.n; i++) {
			const struct tt_knob *kn = &db.v[i];

			if (algo && strcmp(kn->algo, tt_algo_short(algo)))
				continue;
			if (knob && strcmp(kn->name, knob))
				continue;
			json_object_array_add(arr, tt_knob_json(kn));
		}
		tt_json_print(ctx, arr);
		json_object_put(arr);
		tt_knobdb_free(&db);
		return 0;
	}
	printf("%-34s %10s %10s %-17s %-11s %-8s %s\n", "KNOB", "VALUE", "DEFAULT",
	       "RANGE", "UNIT", "APPLIES", "DESCRIPTION");
	for (i = 0; i < db.n; i++) {
		const struct tt_knob *kn = &db.v[i];
		char range[40];

		if (algo && strcmp(kn->algo, tt_algo_short(algo)))
			continue;
		if (knob && strcmp(kn->name, knob))
			continue;
		snprintf(range, sizeof(range), "%u..%u", kn->min, kn->max);
		printf("%-34s %9u%c %10u %-17s %-11s %-8s %s\n", kn->full, kn->value,
		       kn->value != kn->def ? '*' : ' ', kn->def, range, kn->unit,
		       when_name(kn->when), kn->doc ? kn->doc : "");
		shown++;
	}
	if (shown)
		printf("* changed from the default.  APPLIES: live = existing connections on their "
		       "next ACK, new-conn = connections started afterwards\n");
	tt_knobdb_free(&db);
	return 0;
}
