// SPDX-License-Identifier: GPL-2.0
/*
 * The knob table as the kernel describes it (TCPTUNE_CMD_KNOB_GET dump):
 * the CLI hardcodes no knob.  Used by `knobs`, `set` (names, ranges,
 * nearest-name suggestions) and, through `tcptune -j knobs`, by the bash
 * completion.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tcptune.h"

const char *tt_algo_short(const char *name)
{
	return strncmp(name, "tcptune_", 8) ? name : name + 8;
}

static const int knob_policy[TCPTUNE_KNOB_A_MAX + 1] = {
	[TCPTUNE_KNOB_A_ALGO] = MNL_TYPE_NUL_STRING,
	[TCPTUNE_KNOB_A_NAME] = MNL_TYPE_NUL_STRING,
	[TCPTUNE_KNOB_A_VALUE] = MNL_TYPE_U32,
	[TCPTUNE_KNOB_A_RANGE_MIN] = MNL_TYPE_U32,
	[TCPTUNE_KNOB_A_RANGE_MAX] = MNL_TYPE_U32,
	[TCPTUNE_KNOB_A_DEFAULT] = MNL_TYPE_U32,
	[TCPTUNE_KNOB_A_UNIT] = MNL_TYPE_NUL_STRING,
	[TCPTUNE_KNOB_A_DOC] = MNL_TYPE_NUL_STRING,
	[TCPTUNE_KNOB_A_WHEN] = MNL_TYPE_U8,
};

static void knob_parse(struct tt_knob *k, const struct nlattr *nest)
{
	const struct nlattr *tb[TCPTUNE_KNOB_A_MAX + 1];
	int t;

	tt_attr_parse_nested(nest, knob_policy, TCPTUNE_KNOB_A_MAX, tb);
	k->when = -1;
	for (t = 1; t <= TCPTUNE_KNOB_A_MAX; t++) {
		const struct nlattr *a = tb[t];

		if (!a)
			continue;
		switch (t) {
		case TCPTUNE_KNOB_A_ALGO:
			snprintf(k->algo, sizeof(k->algo), "%s", mnl_attr_get_str(a));
			break;
		case TCPTUNE_KNOB_A_NAME:
			snprintf(k->name, sizeof(k->name), "%s", mnl_attr_get_str(a));
			break;
		case TCPTUNE_KNOB_A_UNIT:
			snprintf(k->unit, sizeof(k->unit), "%s", mnl_attr_get_str(a));
			break;
		case TCPTUNE_KNOB_A_DOC:
			k->doc = strdup(mnl_attr_get_str(a));
			break;
		case TCPTUNE_KNOB_A_VALUE:
			k->value = mnl_attr_get_u32(a);
			break;
		case TCPTUNE_KNOB_A_RANGE_MIN:
			k->min = mnl_attr_get_u32(a);
			break;
		case TCPTUNE_KNOB_A_RANGE_MAX:
			k->max = mnl_attr_get_u32(a);
			break;
		case TCPTUNE_KNOB_A_DEFAULT:
			k->def = mnl_attr_get_u32(a);
			break;
		case TCPTUNE_KNOB_A_WHEN:
			k->when = mnl_attr_get_u8(a);
			break;
		}
		k->have |= 1ULL << t;
	}
	snprintf(k->full, sizeof(k->full), "%s.%s", k->algo, k->name);
}

int tt_knob_cb(const struct nlmsghdr *nlh, void *data)
{
	struct tt_knobdb *db = data;
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (tt_attr_check(a, tt_top_policy, TCPTUNE_A_MAX) != TCPTUNE_A_KNOB)
			continue;
		if (db->n == db->cap) {
			size_t cap = db->cap ? db->cap * 2 : 64;
			struct tt_knob *v = realloc(db->v, cap * sizeof(*v));

			if (!v) {
				errno = ENOMEM;
				return MNL_CB_ERROR;
			}
			db->v = v;
			db->cap = cap;
		}
		memset(&db->v[db->n], 0, sizeof(db->v[0]));
		knob_parse(&db->v[db->n++], a);
	}
	return MNL_CB_OK;
}

int tt_knobdb_load(struct tt_ctx *ctx, struct tt_knobdb *db)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct tt_nlerr err;
	int r;

	r = tt_genl_open(ctx);
	if (r)
		return r;
	nlh = tt_genl_msg(ctx, buf, TCPTUNE_CMD_KNOB_GET, NLM_F_DUMP);
	if (tt_nl_talk(ctx, ctx->nl, nlh, sizeof(struct genlmsghdr),
		       sizeof(struct genlmsghdr), tt_knob_cb, db, &err) < 0)
		return tt_nlerr_report(&err, "reading the knobs");
	return 0;
}

void tt_knobdb_free(struct tt_knobdb *db)
{
	size_t i;

	for (i = 0; i < db->n; i++)
		free(db->v[i].doc);
	free(db->v);
	memset(db, 0, sizeof(*db));
}

const struct tt_knob *tt_knobdb_find(const struct tt_knobdb *db,
				     const char *algo, const char *name)
{
	size_t i;

	algo = tt_algo_short(algo);
	for (i = 0; i < db->n; i++)
		if (!strcmp(db->v[i].algo, algo) && !strcmp(db->v[i].name, name))
			return &db->v[i];
	return NULL;
}

bool tt_knobdb_has_algo(const struct tt_knobdb *db, const char *algo)
{
	size_t i;

	algo = tt_algo_short(algo);
	for (i = 0; i < db->n; i++)
		if (!strcmp(db->v[i].algo, algo))
			return true;
	return false;
}
