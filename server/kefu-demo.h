/* kefu-demo.h — the demo data: accounts and realistic tickets for `kefu-server --demo`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "kefu-sla.h"
#include "kefu-store.h"

G_BEGIN_DECLS

/* The accounts kefu_demo_seed() creates, all with the password "demo". */
typedef struct {
  const char *username;
  const char *display_name;
  const char *role;          /* wire word of KefuRole */
  const char *department;    /* department code */
} KefuDemoAccount;

/* The demo accounts, @n_accounts of them. */
const KefuDemoAccount *kefu_demo_get_accounts (guint *n_accounts);

/* Seeds an EMPTY database (departments already exist) with the demo accounts and about sixty
 * tickets. Runs on the calling thread but writes through kefu_store_write_sync(), in one job
 * (all or nothing). @now is the server clock's time: ticket times are spread over the preceding
 * three weeks, with the open ones recent enough that their clocks show a mix of ok, warning and
 * breached at @now. Every ticket is written by replaying its history through the workflow
 * operations (kefu-ticket-ops.h) at the time of each step, so timelines, versions, SLA dues and
 * the outbox are those the server itself would have produced. The data is deterministic: the
 * same @now and @tz always give the same database. @password_hash (argon2id of "demo") is
 * stored for every account. */
gboolean kefu_demo_seed (KefuStore     *store,
                         KefuSlaPolicy *policy,
                         GTimeZone     *tz,
                         gint64         now,
                         const char    *password_hash,
                         GError       **error);

G_END_DECLS
