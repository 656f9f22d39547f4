/* kefu-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "kefu-attachments.h"
#include "kefu-demo.h"
#include "kefu-error.h"
#include "kefu-http-guard.h"
#include "kefu-server.h"
#include "kefu-settings.h"
#include "kefu-system-clock.h"
#include "kefu-upload.h"

#define API_PREFIX "/api/v1"

typedef struct {
  char             *method;
  GStrv             segments;   /* "{}" for a parameter */
  guint             roles;
  KefuRouteHandler  handler;
} Route;

struct _KefuServer
{
  GObject          parent_instance;

  char            *data_dir;
  KefuClock       *clock;
  GTimeZone       *tz;
  gboolean         demo;
  GTlsCertificate *tls_cert;

  KefuStore       *store;
  KefuEventHub    *hub;
  KefuSlaScheduler *scheduler;
  KefuAuth        *auth;
  KefuSlaPolicy   *policy;
  SoupServer      *soup;
  GPtrArray       *routes;
  guint16          port;
  KefuHttpGuardLimits limits;
};

G_DEFINE_FINAL_TYPE (KefuServer, kefu_server, G_TYPE_OBJECT)

static void
route_free (Route *route)
{
  g_free (route->method);
  g_strfreev (route->segments);
  g_free (route);
}

static void
kefu_server_dispose (GObject *object)
{
  KefuServer *self = KEFU_SERVER (object);

  kefu_server_stop (self);
  g_clear_object (&self->auth);
  g_clear_object (&self->clock);
  g_clear_object (&self->tls_cert);

  G_OBJECT_CLASS (kefu_server_parent_class)->dispose (object);
}

static void
kefu_server_finalize (GObject *object)
{
  KefuServer *self = KEFU_SERVER (object);

  g_clear_pointer (&self->data_dir, g_free);
  g_clear_pointer (&self->tz, g_time_zone_unref);
  g_clear_pointer (&self->policy, kefu_sla_policy_unref);
  g_clear_pointer (&self->routes, g_ptr_array_unref);

  G_OBJECT_CLASS (kefu_server_parent_class)->finalize (object);
}

static void
kefu_server_class_init (KefuServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kefu_server_dispose;
  object_class->finalize = kefu_server_finalize;
}

static void
kefu_server_init (KefuServer *self)
{
  self->routes = g_ptr_array_new_with_free_func ((GDestroyNotify) route_free);
}

KefuServer *
kefu_server_new (const char *data_dir,
                 KefuClock  *clock,
                 const char *time_zone)
{
  KefuServer *self;

  g_return_val_if_fail (data_dir != NULL, NULL);
  g_return_val_if_fail (clock == NULL || KEFU_IS_CLOCK (clock), NULL);

  self = g_object_new (KEFU_TYPE_SERVER, NULL);
  self->data_dir = g_strdup (data_dir);
  self->clock = clock ? g_object_ref (clock) : kefu_system_clock_new ();
  self->tz = time_zone ? g_time_zone_new_identifier (time_zone) : NULL;
  if (self->tz == NULL)
    self->tz = g_time_zone_new_local ();
  self->policy = kefu_sla_policy_new_default (g_time_zone_get_identifier (self->tz));
  if (self->policy == NULL)
    self->policy = kefu_sla_policy_new_default ("UTC");
  self->auth = kefu_auth_new (self->clock);

  kefu_routes_session_register (self);
  kefu_routes_tickets_register (self);
  kefu_routes_alerts_register (self);
  kefu_routes_visits_register (self);
  kefu_routes_attachments_register (self);
  kefu_routes_reports_register (self);

  return self;
}

void
kefu_server_set_demo (KefuServer *self,
                      gboolean    demo)
{
  g_return_if_fail (KEFU_IS_SERVER (self));
  g_return_if_fail (self->soup == NULL);

  self->demo = !!demo;
}

gboolean
kefu_server_get_demo (KefuServer *self)
{
  g_return_val_if_fail (KEFU_IS_SERVER (self), FALSE);
  return self->demo;
}

void
kefu_server_set_tls_certificate (KefuServer      *self,
                                 GTlsCertificate *cert)
{
  g_return_if_fail (KEFU_IS_SERVER (self));
  g_return_if_fail (self->soup == NULL);

  g_set_object (&self->tls_cert, cert);
}

/* Before kefu_server_start(); zeros keep the defaults (kefu-http-guard.h). */
void
kefu_server_set_connection_limits (KefuServer                *self,
                                   const KefuHttpGuardLimits *limits)
{
  g_return_if_fail (KEFU_IS_SERVER (self));
  g_return_if_fail (limits != NULL);
  g_return_if_fail (self->soup == NULL);

  self->limits = *limits;
}

KefuStore *
kefu_server_get_store (KefuServer *self)
{
  g_return_val_if_fail (KEFU_IS_SERVER (self), NULL);
  return self->store;
}

KefuClock *
kefu_server_get_clock (KefuServer *self)
{
  g_return_val_if_fail (KEFU_IS_SERVER (self), NULL);
  return self->clock;
}

KefuAuth *
kefu_server_get_auth (KefuServer *self)
{
  g_return_val_if_fail (KEFU_IS_SERVER (self), NULL);
  return self->auth;
}

GTimeZone *
kefu_server_get_time_zone (KefuServer *self)
{
  g_return_val_if_fail (KEFU_IS_SERVER (self), NULL);
  return self->tz;
}

KefuSlaPolicy *
kefu_server_get_sla_policy (KefuServer *self)
{
  g_return_val_if_fail (KEFU_IS_SERVER (self), NULL);
  return self->policy;
}

void
kefu_server_set_sla_policy (KefuServer    *self,
                            KefuSlaPolicy *policy)
{
  g_return_if_fail (KEFU_IS_SERVER (self));
  g_return_if_fail (policy != NULL);

  kefu_sla_policy_ref (policy);
  g_clear_pointer (&self->policy, kefu_sla_policy_unref);
  self->policy = policy;
}

KefuSlaScheduler *
kefu_server_get_sla_scheduler (KefuServer *self)
{
  g_return_val_if_fail (KEFU_IS_SERVER (self), NULL);
  return self->scheduler;
}

KefuEventHub *
kefu_server_get_event_hub (KefuServer *self)
{
  g_return_val_if_fail (KEFU_IS_SERVER (self), NULL);
  return self->hub;
}

SoupServer *
kefu_server_get_soup_server (KefuServer *self)
{
  g_return_val_if_fail (KEFU_IS_SERVER (self), NULL);
  return self->soup;
}

const char *
kefu_server_get_data_dir (KefuServer *self)
{
  g_return_val_if_fail (KEFU_IS_SERVER (self), NULL);
  return self->data_dir;
}

gint64
kefu_server_now (KefuServer *self)
{
  g_return_val_if_fail (KEFU_IS_SERVER (self), 0);
  return kefu_clock_now (self->clock);
}

guint16
kefu_server_get_port (KefuServer *self)
{
  g_return_val_if_fail (KEFU_IS_SERVER (self), 0);
  return self->port;
}

void
kefu_server_add_route (KefuServer       *self,
                       const char       *method,
                       const char       *pattern,
                       guint             roles,
                       KefuRouteHandler  handler)
{
  Route *route;

  g_return_if_fail (KEFU_IS_SERVER (self));
  g_return_if_fail (method != NULL && pattern != NULL && pattern[0] == '/');
  g_return_if_fail (handler != NULL);

  route = g_new0 (Route, 1);
  route->method = g_strdup (method);
  route->segments = g_strsplit (pattern + 1, "/", -1);
  route->roles = roles;
  route->handler = handler;
  g_ptr_array_add (self->routes, route);
}

/* ---- dispatch ---------------------------------------------------------------------------- */

static gboolean
route_match (Route       *route,
             char       **segments,
             GPtrArray   *params)
{
  guint n = g_strv_length (route->segments);

  if (n != g_strv_length (segments))
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      if (strcmp (route->segments[i], "{}") == 0)
        {
          if (segments[i][0] == '\0')
            return FALSE;
          if (params != NULL)
            g_ptr_array_add (params, g_strdup (segments[i]));
        }
      else if (strcmp (route->segments[i], segments[i]) != 0)
        return FALSE;
    }
  return TRUE;
}

static char *
bearer_token (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *value = soup_message_headers_get_one (headers, "Authorization");

  if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", 7) != 0)
    return NULL;
  return g_strstrip (g_strdup (value + 7));
}

/* The route for @method on @path (under the API prefix), with its parameters added to
 * @params when given; NULL when none, and then *@path_known says whether another method would
 * have matched. */
static Route *
find_route (KefuServer  *self,
            const char  *method,
            const char  *path,
            gboolean    *path_known,
            GPtrArray   *params)
{
  g_auto(GStrv) segments = NULL;
  const char *rest;

  *path_known = FALSE;
  if (!g_str_has_prefix (path, API_PREFIX))
    return NULL;
  rest = path + strlen (API_PREFIX);
  if (*rest == '/')
    rest++;
  segments = g_strsplit (rest, "/", -1);

  for (guint i = 0; i < self->routes->len; i++)
    {
      Route *route = g_ptr_array_index (self->routes, i);

      if (!route_match (route, segments, NULL))
        continue;
      *path_known = TRUE;
      if (strcmp (route->method, method) == 0)
        {
          if (params != NULL)
            route_match (route, segments, params);
          return route;
        }
    }
  return NULL;
}

/* Who is calling, from the headers alone: NULL with *@code and *@message set when the route
 * needs a session that @msg does not carry, or a role it does not have. */
static KefuUser *
authorize (KefuServer         *self,
           Route              *route,
           SoupServerMessage  *msg,
           KefuErrorCode      *code,
           const char        **message,
           GError            **error)
{
  g_autofree char *token = bearer_token (msg);
  KefuUser *user = NULL;

  if (token != NULL)
    user = kefu_auth_lookup_session (kefu_store_get_reader (self->store), token,
                                     kefu_clock_now (self->clock), error);
  if (user == NULL)
    {
      *code = KEFU_ERROR_UNAUTHENTICATED;
      *message = token ? "the session has expired or is not valid" : "sign in first";
      return NULL;
    }
  if ((route->roles & KEFU_ROLE_BIT (user->role)) == 0)
    {
      kefu_user_free (user);
      *code = KEFU_ERROR_FORBIDDEN;
      *message = "your role may not do this";
      return NULL;
    }
  return user;
}

/* The caller admit_body() found, kept on the message for its handler. */
static GQuark
admitted_user_quark (void)
{
  return g_quark_from_static_string ("kefu-admitted-user");
}

#define WWW_AUTHENTICATE "Bearer realm=\"kefu\""

static void
api_handler (SoupServer        *soup,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  KefuServer *self = user_data;
  g_autoptr(KefuRequest) req = NULL;
  g_autoptr(GPtrArray) params = NULL;
  const char *method = soup_server_message_get_method (msg);
  Route *found;
  gboolean path_known = FALSE;

  req = g_new0 (KefuRequest, 1);
  g_atomic_ref_count_init (&req->ref_count);
  req->server = self;
  req->msg = g_object_ref (msg);
  req->method = method;
  req->query = query ? g_hash_table_ref (query) : NULL;
  req->peer = kefu_auth_client_address (self->auth, msg);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");

  params = g_ptr_array_new_with_free_func (g_free);
  found = find_route (self, method, path, &path_known, params);
  if (found == NULL)
    {
      if (path_known)
        kefu_request_reply_error_literal (req, KEFU_ERROR_METHOD_NOT_ALLOWED,
                                          "this method is not allowed here");
      else
        kefu_request_reply_error_literal (req, KEFU_ERROR_NOT_FOUND, "no such resource");
      return;
    }

  g_ptr_array_add (params, NULL);
  req->params = (GStrv) g_ptr_array_free (g_steal_pointer (&params), FALSE);

  if (found->roles != KEFU_ROUTE_ANONYMOUS)
    {
      g_autoptr(GError) error = NULL;
      KefuErrorCode code = KEFU_ERROR_INTERNAL;
      const char *message = NULL;

      /* A request with a body was authorised from its headers already (admit_body()). */
      req->user = g_object_steal_qdata (G_OBJECT (msg), admitted_user_quark ());
      if (req->user == NULL)
        req->user = authorize (self, found, msg, &code, &message, &error);
      if (error != NULL)
        {
          kefu_request_reply_error (req, error);
          return;
        }
      if (req->user == NULL)
        {
          if (code == KEFU_ERROR_UNAUTHENTICATED)
            soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                          "WWW-Authenticate", WWW_AUTHENTICATE);
          kefu_request_reply_error_literal (req, code, message);
          return;
        }
    }

  found->handler (req);
}

static char *
error_json (KefuErrorCode  code,
            const char    *message)
{
  /* Our own fixed ASCII sentences: nothing to escape. */
  return g_strdup_printf ("{\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}",
                          kefu_error_code_to_string (code), message);
}

/* The HTTP guard asks this before reading any request body: the route, the session and the
 * role are decided from the headers, so a caller who may not send the body is answered at
 * once and none of it is read (let alone buffered). */
static guint
admit_body (SoupServerMessage  *msg,
            char              **json,
            char              **headers,
            gpointer            user_data)
{
  KefuServer *self = user_data;
  g_autoptr(GError) error = NULL;
  const char *method = soup_server_message_get_method (msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  KefuErrorCode code = KEFU_ERROR_INTERNAL;
  const char *message = NULL;
  gboolean path_known = FALSE;
  KefuUser *user;
  Route *route;

  /* Not a route of the table (the event stream, the fallback): their handlers answer, and
   * the body limit of the guard still holds. */
  route = find_route (self, method, path, &path_known, NULL);
  if (route == NULL || route->roles == KEFU_ROUTE_ANONYMOUS)
    return 0;

  user = authorize (self, route, msg, &code, &message, &error);
  if (error != NULL)
    {
      /* The handler answers it (and logs it) once the request is in. */
      return 0;
    }
  if (user == NULL)
    {
      *json = error_json (code, message);
      if (code == KEFU_ERROR_UNAUTHENTICATED)
        *headers = g_strdup ("WWW-Authenticate: " WWW_AUTHENTICATE "\r\n");
      return kefu_error_code_http_status (code);
    }
  g_object_set_qdata_full (G_OBJECT (msg), admitted_user_quark (), user,
                           (GDestroyNotify) kefu_user_free);

  kefu_attachments_prepare_upload (msg, self->data_dir);
  return 0;
}

static void
fallback_handler (SoupServer        *soup,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  static const char body[] =
    "{\"error\":{\"code\":\"not_found\",\"message\":\"no such resource; the API is under "
    API_PREFIX "\"}}";

  soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                    body, sizeof body - 1);
}

/* ---- first start ------------------------------------------------------------------------- */

static gpointer
seed_departments_job (KefuDb   *db,
                       gpointer  data,
                       GError  **error)
{
  static const char *departments[][3] = {
    { "customer_service", "Customer service", "客服部" },
    { "technical", "Technical", "技术部" },
    { "logistics", "Logistics & warehouse", "仓储物流部" },
    { "product", "Product", "产品部" },
    { "quality", "Quality", "质检部" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (departments); i++)
    {
      sqlite3_stmt *stmt = kefu_db_prepare (db,
                                            "INSERT OR IGNORE INTO departments (code, name, name_zh)"
                                            " VALUES (?, ?, ?)", error);
      if (stmt == NULL)
        return NULL;
      for (guint j = 0; j < 3; j++)
        kefu_db_bind_text (stmt, j + 1, departments[i][j]);
      if (!kefu_db_step_done (db, stmt, error))
        return NULL;
    }
  return NULL;
}

typedef struct {
  const char *hash;
  gint64      now;
} AdminSeed;

static gpointer
create_admin_job (KefuDb   *db,
                  gpointer  data,
                  GError  **error)
{
  AdminSeed *seed = data;
  sqlite3_stmt *stmt;

  stmt = kefu_db_prepare (db,
                          "INSERT INTO users (username, display_name, role, department,"
                          " password_hash, active, created_at, updated_at)"
                          " VALUES ('admin', 'Administrator', 'admin', 'technical', ?, 1, ?, ?)",
                          error);
  if (stmt == NULL)
    return NULL;
  kefu_db_bind_text (stmt, 1, seed->hash);
  sqlite3_bind_int64 (stmt, 2, seed->now);
  sqlite3_bind_int64 (stmt, 3, seed->now);
  kefu_db_step_done (db, stmt, error);
  return NULL;
}

static gint64
count_users (KefuServer  *self,
             GError     **error)
{
  KefuDb *db = kefu_store_get_reader (self->store);
  sqlite3_stmt *stmt = kefu_db_prepare (db, "SELECT count(*) FROM users", error);
  gint64 n = -1;

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  else
    kefu_db_fail (db, error);
  sqlite3_reset (stmt);
  return n;
}

static gboolean
first_start (KefuServer  *self,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 users;

  kefu_store_write_sync (self->store, seed_departments_job, NULL, NULL, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  users = count_users (self, error);
  if (users < 0)
    return FALSE;
  if (users > 0)
    return TRUE;

  if (self->demo)
    {
      g_autofree char *hash = kefu_auth_hash_password ("demo", error);

      if (hash == NULL)
        return FALSE;
      return kefu_demo_seed (self->store, self->policy, self->tz,
                             kefu_clock_now (self->clock), hash, error);
    }
  else
    {
      g_autofree char *password = kefu_auth_random_strong_password ("admin");
      g_autofree char *hash = kefu_auth_hash_password (password, error);
      AdminSeed seed = { hash, kefu_clock_now (self->clock) };

      if (hash == NULL)
        return FALSE;
      kefu_store_write_sync (self->store, create_admin_job, &seed, NULL, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      /* Shown once, stored nowhere in clear. */
      g_print ("\n  Created the administrator account.\n"
               "    username: admin\n"
               "    password: %s\n"
               "  Write it down now: it is not stored and will not be shown again.\n\n",
               password);
      return TRUE;
    }
}

/* The policy an administrator stored (PUT /sla-policy), if any; the default otherwise. A
 * stored policy that no longer loads (a time zone gone from the system) is reported and the
 * default used, rather than refusing to start. */
static void
load_sla_policy (KefuServer *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(KefuSlaPolicy) policy = NULL;
  g_autofree char *text = NULL;

  text = kefu_settings_get (kefu_store_get_reader (self->store), KEFU_SETTING_SLA_POLICY,
                            &error);
  if (text == NULL)
    {
      if (error != NULL)
        g_warning ("Cannot read the stored SLA policy, using the default: %s", error->message);
      return;
    }

  if (json_parser_load_from_data (parser, text, -1, &error))
    policy = kefu_sla_policy_from_json (json_parser_get_root (parser), &error);
  if (policy == NULL)
    {
      g_warning ("The stored SLA policy does not load, using the default: %s", error->message);
      return;
    }

  kefu_server_set_sla_policy (self, policy);
}

/* ---- listening --------------------------------------------------------------------------- */

static gboolean
parse_listen (const char      *listen,
              GInetAddress   **out_addr,
              guint16         *out_port,
              GError         **error)
{
  g_autofree char *host = NULL;
  const char *colon;
  guint64 port;
  char *end = NULL;

  colon = strrchr (listen, ':');
  if (colon == NULL)
    goto bad;

  host = g_strndup (listen, colon - listen);
  if (host[0] == '[' && host[strlen (host) - 1] == ']')
    {
      char *inner = g_strndup (host + 1, strlen (host) - 2);

      g_free (host);
      host = inner;
    }
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    {
      g_free (host);
      host = g_strdup ("127.0.0.1");
    }

  port = g_ascii_strtoull (colon + 1, &end, 10);
  if (end == colon + 1 || *end != '\0' || port > 65535)
    goto bad;

  *out_addr = g_inet_address_new_from_string (host);
  if (*out_addr == NULL)
    goto bad;
  *out_port = port;
  return TRUE;

bad:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "cannot listen on \"%s\": expected ADDRESS:PORT, e.g. 127.0.0.1:8080", listen);
  return FALSE;
}

gboolean
kefu_server_start (KefuServer  *self,
                   const char  *listen,
                   GError     **error)
{
  g_autoptr(GInetAddress) addr = NULL;
  g_autoptr(GSocketAddress) sockaddr = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  guint16 port;

  g_return_val_if_fail (KEFU_IS_SERVER (self), FALSE);
  g_return_val_if_fail (listen != NULL, FALSE);
  g_return_val_if_fail (self->soup == NULL, FALSE);

  if (!parse_listen (listen, &addr, &port, error))
    return FALSE;

  if (self->demo && !g_inet_address_get_is_loopback (addr))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   "--demo serves well-known passwords and only listens on a loopback address "
                   "(127.0.0.1 or ::1), not on %s", listen);
      return FALSE;
    }

  self->store = kefu_store_new (self->data_dir, error);
  if (self->store == NULL)
    return FALSE;

  load_sla_policy (self);

  {
    g_autofree char *attachments = g_build_filename (self->data_dir, "attachments", NULL);

    kefu_upload_clean_stale (attachments);
  }

  if (!first_start (self, error))
    {
      g_clear_object (&self->store);
      return FALSE;
    }

  self->soup = g_object_new (SOUP_TYPE_SERVER,
                             "server-header", "kefu-server/" PACKAGE_VERSION " ",
                             "tls-certificate", self->tls_cert,
                             NULL);
  kefu_http_guard_install (self->soup, KEFU_MAX_BODY_BYTES);
  kefu_http_guard_set_limits (self->soup, &self->limits);
  kefu_http_guard_set_limit_func (self->soup, kefu_attachments_body_limit, NULL);
  kefu_http_guard_set_admit_func (self->soup, admit_body, self);
  self->hub = kefu_event_hub_new (self->store);
  soup_server_add_handler (self->soup, API_PREFIX, api_handler, self, NULL);
  kefu_routes_events_attach (self, self->soup);
  soup_server_add_handler (self->soup, NULL, fallback_handler, self, NULL);

  /* Our own socket: GSocket's default listen backlog of 10 drops connections when many
   * clients connect at once (a shift starting, a benchmark). */
  sockaddr = g_inet_socket_address_new (addr, port);
  socket = g_socket_new (g_inet_address_get_family (addr), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket != NULL)
    {
      g_socket_set_listen_backlog (socket, 1024);
      if (!g_socket_bind (socket, sockaddr, TRUE, error) || !g_socket_listen (socket, error))
        g_clear_object (&socket);
    }
  if (socket == NULL || !kefu_http_guard_listen (self->soup, socket, error))
    {
      g_clear_object (&self->hub);
      g_clear_object (&self->soup);
      g_clear_object (&self->store);
      return FALSE;
    }

  bound = g_socket_get_local_address (socket, NULL);
  self->port = G_IS_INET_SOCKET_ADDRESS (bound)
               ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)) : port;

  /* Last, once listening: catching up on what fell due while the server was down runs in the
   * background and never delays the first answer. */
  self->scheduler = kefu_sla_scheduler_new (self->store, self->clock, self->tz);
  kefu_sla_scheduler_start (self->scheduler);

  return TRUE;
}

void
kefu_server_stop (KefuServer *self)
{
  g_return_if_fail (KEFU_IS_SERVER (self));

  if (self->scheduler != NULL)
    {
      kefu_sla_scheduler_stop (self->scheduler);
      g_clear_object (&self->scheduler);
    }
  if (self->hub != NULL)
    {
      kefu_event_hub_close_all (self->hub);
      g_clear_object (&self->hub);
    }
  if (self->soup != NULL)
    {
      kefu_http_guard_disconnect (self->soup);
      soup_server_disconnect (self->soup);
      g_clear_object (&self->soup);
    }
  if (self->store != NULL)
    {
      kefu_store_close (self->store);
      g_clear_object (&self->store);
    }
  self->port = 0;
}
