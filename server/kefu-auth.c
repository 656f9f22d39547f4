/* kefu-auth.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sodium.h>

#include "kefu-auth-private.h"
#include "kefu-client-address.h"
#include "kefu-error.h"

/* The tables of counters are bounded, so a flood of made-up names or addresses cannot grow
 * the server's memory: past these sizes, idle entries are dropped (and if that is not
 * enough, all of them — attempts in flight keep their own references). */
#define MAX_COUNTERS        100000
#define MAX_KNOWN_ADDRESSES 10000

/* Attempts on one key: an account ("u:NAME"), an address ("a:ADDR") or both ("p:NAME\nADDR").
 * Main thread only. */
typedef struct {
  guint  failures;       /* judged failures of the current window */
  guint  in_flight;      /* admitted, not judged yet: they count as failures until then */
  gint64 window_start;   /* the first failure of the window (pairs and addresses) */
  gint64 last_failure;   /* accounts forget their failures a window after the last one */
  gint64 next_allowed;   /* accounts: the progressive delay */
} Counter;

/* What the workers share with the main thread. */
typedef struct {
  gint running;
  gint max_running;
  gint verifications;
  gint hashes;
} HashStats;

struct _KefuAuth
{
  GObject             parent_instance;
  KefuClock          *clock;
  KefuTrustedProxies *proxies;      /* NULL: nobody */
  GHashTable         *counters;     /* key → Counter (rc box) */
  GHashTable         *known;        /* "NAME\nADDR" → gint64 time of the last success */

  /* The gate in front of argon2id: at most KEFU_AUTH_MAX_HASHING run; the rest wait here. */
  GQueue              waiting;      /* GTask */
  guint               running;
  gboolean            held;
  HashStats          *stats;        /* atomic rc box */
};

struct _KefuLoginAttempt
{
  KefuAuth *auth;
  char     *known_key;
  Counter  *pair;
  Counter  *address;
  Counter  *account;
};

G_DEFINE_FINAL_TYPE (KefuAuth, kefu_auth, G_TYPE_OBJECT)

static void
kefu_auth_finalize (GObject *object)
{
  KefuAuth *self = KEFU_AUTH (object);

  /* Every job in the gate holds a reference to us. */
  g_assert (g_queue_is_empty (&self->waiting) && self->running == 0);

  g_clear_object (&self->clock);
  g_clear_pointer (&self->proxies, kefu_trusted_proxies_unref);
  g_clear_pointer (&self->counters, g_hash_table_unref);
  g_clear_pointer (&self->known, g_hash_table_unref);
  g_atomic_rc_box_release (self->stats);

  G_OBJECT_CLASS (kefu_auth_parent_class)->finalize (object);
}

static void
kefu_auth_class_init (KefuAuthClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kefu_auth_finalize;

  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");
}

static void
kefu_auth_init (KefuAuth *self)
{
  self->counters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_rc_box_release);
  self->known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_queue_init (&self->waiting);
  self->stats = g_atomic_rc_box_new0 (HashStats);
}

KefuAuth *
kefu_auth_new (KefuClock *clock)
{
  KefuAuth *self;

  g_return_val_if_fail (KEFU_IS_CLOCK (clock), NULL);

  self = g_object_new (KEFU_TYPE_AUTH, NULL);
  self->clock = g_object_ref (clock);
  return self;
}

/* ---- the client's address ---------------------------------------------------------------- */

gboolean
kefu_auth_set_trusted_proxies (KefuAuth    *self,
                               const char  *list,
                               GError     **error)
{
  KefuTrustedProxies *proxies;

  g_return_val_if_fail (KEFU_IS_AUTH (self), FALSE);

  proxies = kefu_trusted_proxies_new_parse (list, error);
  if (proxies == NULL)
    return FALSE;
  g_clear_pointer (&self->proxies, kefu_trusted_proxies_unref);
  self->proxies = proxies;
  return TRUE;
}

char *
kefu_auth_client_address (KefuAuth          *self,
                          SoupServerMessage *msg)
{
  GSocketAddress *remote;
  const char *forwarded = NULL;

  g_return_val_if_fail (KEFU_IS_AUTH (self), NULL);
  g_return_val_if_fail (SOUP_IS_SERVER_MESSAGE (msg), NULL);

  remote = soup_server_message_get_remote_address (msg);
  if (!G_IS_INET_SOCKET_ADDRESS (remote))
    return NULL;
  if (kefu_trusted_proxies_get_size (self->proxies) > 0)
    forwarded = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                               "X-Forwarded-For");
  return kefu_client_address_resolve (self->proxies,
                                      g_inet_socket_address_get_address (
                                          G_INET_SOCKET_ADDRESS (remote)),
                                      forwarded);
}

/* ---- argon2id ---------------------------------------------------------------------------- */

char *
kefu_auth_hash_password (const char  *password,
                         GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];

  g_return_val_if_fail (password != NULL, NULL);

  if (sodium_init () < 0 ||
      crypto_pwhash_str (hash, password, strlen (password),
                         crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error_literal (error, KEFU_ERROR, KEFU_ERROR_INTERNAL,
                           "out of memory while hashing a password");
      return NULL;
    }
  return g_strdup (hash);
}

gboolean
kefu_auth_verify_password (const char *hash,
                           const char *password)
{
  g_return_val_if_fail (password != NULL, FALSE);

  if (hash == NULL)
    return FALSE;
  return crypto_pwhash_str_verify (hash, password, strlen (password)) == 0;
}

/* A valid hash of a random password, verified against when the user does not exist. */
static char *
dummy_hash (void)
{
  static gsize once;
  static char *hash;

  if (g_once_init_enter (&once))
    {
      g_autofree char *pw = kefu_auth_random_password (16);

      hash = kefu_auth_hash_password (pw, NULL);
      g_once_init_leave (&once, 1);
    }
  return hash;
}

/* ---- the gate ---------------------------------------------------------------------------- */

/* Work for a worker thread. It holds no reference to the KefuAuth: a worker may drop the
 * last reference to its GTask, and nothing of the main thread may be freed there. */
typedef struct {
  gboolean   verify;       /* else: check the policy and hash */
  HashStats *stats;
  char      *hash;         /* verify: the stored hash, NULL = the dummy */
  char      *password;
  char      *username;     /* hash: for the policy */
} HashJob;

static void
hash_job_free (HashJob *job)
{
  g_atomic_rc_box_release (job->stats);
  g_free (job->hash);
  if (job->password != NULL)
    sodium_memzero (job->password, strlen (job->password));
  g_free (job->password);
  g_free (job->username);
  g_free (job);
}

static void
note_running (HashStats *stats)
{
  int now = g_atomic_int_add (&stats->running, 1) + 1;
  int max = g_atomic_int_get (&stats->max_running);

  while (now > max && !g_atomic_int_compare_and_exchange (&stats->max_running, max, now))
    max = g_atomic_int_get (&stats->max_running);
}

static void
hash_job_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  HashJob *job = task_data;
  GError *error = NULL;

  if (job->verify)
    {
      gboolean ok;

      note_running (job->stats);
      g_atomic_int_inc (&job->stats->verifications);
      if (job->hash != NULL)
        ok = kefu_auth_verify_password (job->hash, job->password);
      else
        ok = kefu_auth_verify_password (dummy_hash (), job->password) && FALSE;
      g_atomic_int_add (&job->stats->running, -1);
      g_task_return_boolean (task, ok);
    }
  else
    {
      char *hash = NULL;

      /* The policy first: it may refuse before any memory-hungry work. */
      if (kefu_password_policy_check (job->password, job->username, &error))
        {
          note_running (job->stats);
          g_atomic_int_inc (&job->stats->hashes);
          hash = kefu_auth_hash_password (job->password, &error);
          g_atomic_int_add (&job->stats->running, -1);
        }
      if (hash == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, hash, g_free);
    }
}

static void
gate_start (KefuAuth *self)
{
  while (!self->held && self->running < KEFU_AUTH_MAX_HASHING &&
         !g_queue_is_empty (&self->waiting))
    {
      g_autoptr(GTask) inner = g_queue_pop_head (&self->waiting);

      self->running++;
      g_task_run_in_thread (inner, hash_job_thread);
    }
}

/* What the caller's task carries while its work is in the gate. */
typedef struct {
  KefuLoginAttempt *attempt;   /* verify only */
} GateData;

static void login_attempt_judge (KefuLoginAttempt *attempt,
                                 gboolean          success);

static void
gate_data_free (GateData *data)
{
  g_clear_pointer (&data->attempt, kefu_login_attempt_abandon);
  g_free (data);
}

static void
gate_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  KefuAuth *self = g_task_get_source_object (outer);
  GateData *data = g_task_get_task_data (outer);
  GTask *inner = G_TASK (result);
  GError *error = NULL;

  self->running--;
  gate_start (self);

  if (data->attempt != NULL)
    {
      gboolean ok = g_task_propagate_boolean (inner, &error);

      if (error != NULL)
        g_task_return_error (outer, error);   /* abandoned when the data goes */
      else
        {
          login_attempt_judge (g_steal_pointer (&data->attempt), ok);
          g_task_return_boolean (outer, ok);
        }
    }
  else
    {
      char *hash = g_task_propagate_pointer (inner, &error);

      if (hash == NULL)
        g_task_return_error (outer, error);
      else
        g_task_return_pointer (outer, hash, g_free);
    }
}

/* Queues @job behind the gate for @outer (whose source object is @self). */
static void
gate_push (KefuAuth *self,
           GTask    *outer,
           HashJob  *job)
{
  GTask *inner;

  job->stats = g_atomic_rc_box_acquire (self->stats);
  inner = g_task_new (NULL, g_task_get_cancellable (outer), gate_done, g_object_ref (outer));
  g_task_set_source_tag (inner, gate_push);
  g_task_set_task_data (inner, job, (GDestroyNotify) hash_job_free);
  g_queue_push_tail (&self->waiting, inner);
  gate_start (self);
}

void
kefu_auth_new_password_hash_async (KefuAuth            *self,
                                   const char          *password,
                                   const char          *username,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  HashJob *job;

  g_return_if_fail (KEFU_IS_AUTH (self));
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kefu_auth_new_password_hash_async);
  g_task_set_task_data (task, g_new0 (GateData, 1), (GDestroyNotify) gate_data_free);

  job = g_new0 (HashJob, 1);
  job->password = g_strdup (password);
  job->username = g_strdup (username);
  gate_push (self, task, job);
}

char *
kefu_auth_new_password_hash_finish (KefuAuth      *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- sign-in throttling ------------------------------------------------------------------ */

static Counter *
counter_lookup (KefuAuth   *self,
                const char *key)
{
  return g_hash_table_lookup (self->counters, key);
}

static gboolean
counter_idle (gpointer key,
              gpointer value,
              gpointer user_data)
{
  Counter *c = value;
  gint64 now = *(gint64 *) user_data;

  return c->in_flight == 0 && now - c->last_failure >= KEFU_LOGIN_WINDOW_USEC &&
         c->next_allowed <= now;
}

static Counter *
counter_get (KefuAuth   *self,
             const char *key,
             gint64      now)
{
  Counter *c = g_hash_table_lookup (self->counters, key);

  if (c == NULL)
    {
      if (g_hash_table_size (self->counters) >= MAX_COUNTERS)
        {
          g_hash_table_foreach_remove (self->counters, counter_idle, &now);
          if (g_hash_table_size (self->counters) >= MAX_COUNTERS / 2)
            g_hash_table_remove_all (self->counters);
        }
      c = g_rc_box_new0 (Counter);
      c->last_failure = G_MININT64 / 2;
      g_hash_table_insert (self->counters, g_strdup (key), c);
    }
  return g_rc_box_acquire (c);
}

/* Pairs and addresses: failures of a window that starts at the first one. */
static guint
window_failures (Counter *c,
                 gint64   now)
{
  if (c == NULL || c->failures == 0 || now - c->window_start >= KEFU_LOGIN_WINDOW_USEC)
    return 0;
  return c->failures;
}

/* Accounts: failures until a window has passed without one. */
static guint
account_failures (Counter *c,
                  gint64   now)
{
  if (c == NULL || now - c->last_failure >= KEFU_LOGIN_WINDOW_USEC)
    return 0;
  return c->failures;
}

/* How long a pair or an address must wait, in µs; 0 = it may try. */
static gint64
limit_wait (Counter *c,
            guint    max,
            gint64   now)
{
  guint failed = window_failures (c, now);

  if (c == NULL || failed + c->in_flight < max)
    return 0;
  if (failed >= max)
    return c->window_start + KEFU_LOGIN_WINDOW_USEC - now;
  /* Attempts still being checked will decide; they take well under a second. */
  return G_USEC_PER_SEC;
}

static gint64
account_wait (Counter *c,
              gint64   now)
{
  if (c == NULL || account_failures (c, now) + c->in_flight < KEFU_LOGIN_ACCOUNT_FREE_ATTEMPTS)
    return 0;
  return MAX (0, c->next_allowed - now);
}

/* The wait after the n-th attempt over the free ones: 1 s, 2 s, 4 s, … */
static gint64
account_delay (guint n)
{
  if (n > 7)
    return KEFU_LOGIN_MAX_DELAY_USEC;
  return MIN (KEFU_LOGIN_MAX_DELAY_USEC, G_USEC_PER_SEC << (n - 1));
}

static gboolean
known_address (KefuAuth   *self,
               const char *known_key,
               gint64      now)
{
  gint64 *at = g_hash_table_lookup (self->known, known_key);

  return at != NULL && now - *at < KEFU_LOGIN_KNOWN_ADDRESS_USEC;
}

static gboolean
known_stale (gpointer key,
             gpointer value,
             gpointer user_data)
{
  return *(gint64 *) user_data - *(gint64 *) value >= KEFU_LOGIN_KNOWN_ADDRESS_USEC;
}

static void
remember_address (KefuAuth   *self,
                  const char *known_key,
                  gint64      now)
{
  gint64 *at;

  if (!g_hash_table_contains (self->known, known_key) &&
      g_hash_table_size (self->known) >= MAX_KNOWN_ADDRESSES)
    {
      g_hash_table_foreach_remove (self->known, known_stale, &now);
      if (g_hash_table_size (self->known) >= MAX_KNOWN_ADDRESSES)
        g_hash_table_remove_all (self->known);
    }
  at = g_new (gint64, 1);
  *at = now;
  g_hash_table_replace (self->known, g_strdup (known_key), at);
}

static gint64
usec_to_seconds (gint64 usec)
{
  return MAX (1, (usec + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

static char *
wait_text (gint64 seconds)
{
  if (seconds < 120)
    return g_strdup_printf ("%" G_GINT64_FORMAT " second%s", seconds, seconds == 1 ? "" : "s");
  return g_strdup_printf ("%" G_GINT64_FORMAT " minutes", (seconds + 59) / 60);
}

KefuLoginAttempt *
kefu_auth_login_begin (KefuAuth    *self,
                       const char  *username,
                       const char  *client,
                       gint64      *retry_after,
                       GError     **error)
{
  g_autofree char *account = NULL;
  g_autofree char *account_key = NULL;
  g_autofree char *address_key = NULL;
  g_autofree char *pair_key = NULL;
  g_autofree char *known_key = NULL;
  KefuLoginAttempt *attempt;
  gint64 now, wait_address, wait_pair, wait_account, wait;
  guint n;

  g_return_val_if_fail (KEFU_IS_AUTH (self), NULL);
  g_return_val_if_fail (username != NULL, NULL);

  now = kefu_clock_now (self->clock);
  if (client == NULL)
    client = "unknown";
  account = g_utf8_casefold (username, -1);
  account_key = g_strconcat ("u:", account, NULL);
  address_key = g_strconcat ("a:", client, NULL);
  pair_key = g_strconcat ("p:", account, "\n", client, NULL);
  known_key = g_strconcat (account, "\n", client, NULL);

  wait_address = limit_wait (counter_lookup (self, address_key),
                             KEFU_LOGIN_MAX_ADDRESS_FAILURES, now);
  wait_pair = limit_wait (counter_lookup (self, pair_key), KEFU_LOGIN_MAX_PAIR_FAILURES, now);
  /* An address where the account signed in lately is its owner's: an attack on the account
   * from elsewhere must not keep them out. */
  wait_account = known_address (self, known_key, now)
                 ? 0 : account_wait (counter_lookup (self, account_key), now);
  wait = MAX (wait_address, MAX (wait_pair, wait_account));
  if (wait > 0)
    {
      g_autofree char *when = NULL;

      *retry_after = usec_to_seconds (wait);
      when = wait_text (*retry_after);
      if (wait == wait_address)
        g_set_error (error, KEFU_ERROR, KEFU_ERROR_TOO_MANY_ATTEMPTS,
                     "too many failed sign-ins from your address; try again in %s", when);
      else if (wait == wait_pair)
        g_set_error (error, KEFU_ERROR, KEFU_ERROR_TOO_MANY_ATTEMPTS,
                     "too many failed sign-ins to this account from your address; "
                     "try again in %s", when);
      else
        g_set_error (error, KEFU_ERROR, KEFU_ERROR_TOO_MANY_ATTEMPTS,
                     "too many failed sign-ins to this account; try again in %s", when);
      return NULL;
    }

  if (self->running + g_queue_get_length (&self->waiting) >=
      KEFU_AUTH_MAX_HASHING + KEFU_AUTH_MAX_WAITING)
    {
      *retry_after = 1;
      g_set_error_literal (error, KEFU_ERROR, KEFU_ERROR_UNAVAILABLE,
                           "the server is busy checking other sign-ins; try again in a second");
      return NULL;
    }

  attempt = g_new0 (KefuLoginAttempt, 1);
  attempt->auth = g_object_ref (self);
  attempt->known_key = g_steal_pointer (&known_key);
  attempt->pair = counter_get (self, pair_key, now);
  attempt->address = counter_get (self, address_key, now);
  attempt->account = counter_get (self, account_key, now);

  n = account_failures (attempt->account, now);
  attempt->account->failures = n;   /* forgets an old run of failures */
  n += attempt->account->in_flight + 1;
  if (n > KEFU_LOGIN_ACCOUNT_FREE_ATTEMPTS)
    attempt->account->next_allowed =
      MAX (attempt->account->next_allowed,
           now + account_delay (n - KEFU_LOGIN_ACCOUNT_FREE_ATTEMPTS));

  attempt->pair->in_flight++;
  attempt->address->in_flight++;
  attempt->account->in_flight++;
  return attempt;
}

static void
login_attempt_free (KefuLoginAttempt *attempt)
{
  attempt->pair->in_flight--;
  attempt->address->in_flight--;
  attempt->account->in_flight--;
  g_rc_box_release (attempt->pair);
  g_rc_box_release (attempt->address);
  g_rc_box_release (attempt->account);
  g_object_unref (attempt->auth);
  g_free (attempt->known_key);
  g_free (attempt);
}

void
kefu_login_attempt_abandon (KefuLoginAttempt *attempt)
{
  if (attempt != NULL)
    login_attempt_free (attempt);
}

static void
window_fail (Counter *c,
             gint64   now)
{
  if (window_failures (c, now) == 0)
    {
      c->failures = 0;
      c->window_start = now;
    }
  c->failures++;
  c->last_failure = now;
}

static void
login_attempt_judge (KefuLoginAttempt *attempt,
                     gboolean          success)
{
  KefuAuth *self = attempt->auth;
  gint64 now = kefu_clock_now (self->clock);

  if (success)
    {
      /* Only the pair is forgiven: a success must not buy an attacker who owns one account
       * new guesses at others from the same address, nor new fast guesses at this one. And
       * not while other attempts of the pair are in flight: a person signs in once at a time,
       * and a burst must not reopen the limit with the one right password it holds. */
      if (attempt->pair->in_flight == 1)
        attempt->pair->failures = 0;
      remember_address (self, attempt->known_key, now);
    }
  else
    {
      window_fail (attempt->pair, now);
      window_fail (attempt->address, now);
      attempt->account->failures = account_failures (attempt->account, now) + 1;
      attempt->account->last_failure = now;
    }
  login_attempt_free (attempt);
}

void
kefu_auth_login_verify_async (KefuAuth            *self,
                              KefuLoginAttempt    *attempt,
                              const char          *hash,
                              const char          *password,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GateData *data;
  HashJob *job;

  g_return_if_fail (KEFU_IS_AUTH (self));
  g_return_if_fail (attempt != NULL && attempt->auth == self);
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kefu_auth_login_verify_async);
  data = g_new0 (GateData, 1);
  data->attempt = attempt;
  g_task_set_task_data (task, data, (GDestroyNotify) gate_data_free);

  job = g_new0 (HashJob, 1);
  job->verify = TRUE;
  job->hash = g_strdup (hash);
  job->password = g_strdup (password);
  gate_push (self, task, job);
}

gboolean
kefu_auth_login_verify_finish (KefuAuth      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- test hooks (kefu-auth-private.h) ---------------------------------------------------- */

void
kefu_auth_get_hash_stats (KefuAuth          *self,
                          KefuAuthHashStats *out)
{
  g_return_if_fail (KEFU_IS_AUTH (self));

  out->verifications = g_atomic_int_get (&self->stats->verifications);
  out->hashes = g_atomic_int_get (&self->stats->hashes);
  out->max_running = g_atomic_int_get (&self->stats->max_running);
}

void
kefu_auth_reset_hash_stats (KefuAuth *self)
{
  g_return_if_fail (KEFU_IS_AUTH (self));

  g_atomic_int_set (&self->stats->verifications, 0);
  g_atomic_int_set (&self->stats->hashes, 0);
  g_atomic_int_set (&self->stats->max_running, g_atomic_int_get (&self->stats->running));
}

void
kefu_auth_hold_hashing (KefuAuth *self,
                        gboolean  hold)
{
  g_return_if_fail (KEFU_IS_AUTH (self));

  self->held = !!hold;
  gate_start (self);
}

guint
kefu_auth_get_hash_queue_length (KefuAuth *self)
{
  g_return_val_if_fail (KEFU_IS_AUTH (self), 0);
  return self->running + g_queue_get_length (&self->waiting);
}

/* ---- tokens and random passwords --------------------------------------------------------- */

char *
kefu_auth_random_password (guint n_chars)
{
  static const char alphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  GString *s = g_string_sized_new (n_chars);

  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");

  for (guint i = 0; i < n_chars; i++)
    g_string_append_c (s, alphabet[randombytes_uniform (sizeof alphabet - 1)]);
  return g_string_free (s, FALSE);
}

char *
kefu_auth_random_strong_password (const char *username)
{
  /* 16 characters of 55 are 92 bits; the dictionary could still find a word in one now and
   * then, and the first admin's password must pass the policy like any other. */
  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *password = kefu_auth_random_password (16);

      if (kefu_password_policy_check (password, username, NULL))
        return g_steal_pointer (&password);
    }
  g_error ("no random password passed the password policy");
}

char *
kefu_auth_new_token (void)
{
  guint8 bytes[32];
  char out[sodium_base64_ENCODED_LEN (32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");

  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2base64 (out, sizeof out, bytes, sizeof bytes,
                     sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (bytes, sizeof bytes);
  return g_strdup (out);
}

void
kefu_auth_hash_token (const char *token,
                      guint8      out[32])
{
  g_return_if_fail (token != NULL);

  crypto_generichash (out, 32, (const guint8 *) token, strlen (token), NULL, 0);
}

KefuUser *
kefu_auth_lookup_session (KefuDb      *db,
                          const char  *token,
                          gint64       now,
                          GError     **error)
{
  guint8 hash[32];
  sqlite3_stmt *stmt;
  KefuUser *user = NULL;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);

  if (token == NULL || strlen (token) != 43)
    return NULL;

  kefu_auth_hash_token (token, hash);
  stmt = kefu_db_prepare (db,
                          "SELECT u.id, u.username, u.display_name, u.role, u.department,"
                          " u.active, u.created_at, u.last_login_at"
                          " FROM sessions s JOIN users u ON u.id = s.user_id"
                          " WHERE s.token_hash = ? AND s.expires_at > ? AND u.active",
                          error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_blob (stmt, 1, hash, sizeof hash, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    user = kefu_user_from_row (stmt, 0);
  else if (rc != SQLITE_DONE)
    kefu_db_fail (db, error);
  sqlite3_reset (stmt);
  return user;
}
