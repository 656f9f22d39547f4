/* kefu-user.h — a staff account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "kefu-db.h"
#include "kefu-enums.h"

G_BEGIN_DECLS

typedef struct {
  gint64    id;
  char     *username;
  char     *display_name;
  KefuRole  role;
  char     *department;
  gboolean  active;
  gint64    created_at;
  gint64    last_login_at;
} KefuUser;

KefuUser *kefu_user_new         (void);
KefuUser *kefu_user_copy        (const KefuUser *user);
void      kefu_user_free        (KefuUser       *user);
/* {"id","username","display_name","role","department","active","created_at","last_login_at"} */
JsonNode *kefu_user_to_json     (const KefuUser *user);

/* Who sees customers' full phone numbers, the one rule of the server: the roles that call
 * customers (agents and supervisors) on every ticket, anyone on a ticket assigned to them.
 * Everyone else gets "138****5678" — in ticket documents, live events, and in what GET
 * /tickets?q= matches (a masked role finds a phone by the whole number or its last four
 * digits only, so that a search cannot reveal the hidden digits one query at a time). */
gboolean  kefu_role_sees_full_phone (KefuRole        role);
/* For one ticket: @assignee_id its assignee (0 = none). @user NULL sees nothing. */
gboolean  kefu_user_sees_full_phone (const KefuUser *user,
                                     gint64          assignee_id);

/* Row readers for the users table (NULL and no error when there is no such user). The columns
 * read are KEFU_USER_COLUMNS. */
#define KEFU_USER_COLUMNS \
  "id, username, display_name, role, department, active, created_at, last_login_at"
KefuUser *kefu_user_from_row    (sqlite3_stmt   *stmt,
                                 int             first_col);
KefuUser *kefu_user_load        (KefuDb         *db,
                                 gint64          id,
                                 GError        **error);
KefuUser *kefu_user_load_by_name (KefuDb        *db,
                                 const char     *username,
                                 char          **out_password_hash,
                                 GError        **error);
GPtrArray *kefu_user_load_all   (KefuDb         *db,
                                 GError        **error);   /* of KefuUser*, by id */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KefuUser, kefu_user_free)

G_END_DECLS
