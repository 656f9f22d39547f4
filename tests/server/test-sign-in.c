/* test-sign-in.c — sign-in under concurrency and attack, client addresses behind proxies,
 * and the password policy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "kefu-auth-private.h"
#include "kefu-client-address.h"
#include "kefu-test-server.h"

#define GOOD_PASSWORD "Granite-Lantern-58"

/* ---- plumbing ---------------------------------------------------------------------------- */

typedef struct {
  KefuTestServer *ts;
  SoupSession    *session;   /* ours: requests with X-Forwarded-For, many at once */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->ts = kefu_test_server_new (FALSE);
  f->session = soup_session_new_with_options ("timeout", 120, "max-conns", 512,
                                              "max-conns-per-host", 512, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->session);
  kefu_test_server_free (f->ts);
}

typedef struct {
  Fixture    *f;
  const char *list;
  guint       number;
  KefuAuthHashStats stats;
  gboolean    hold;
} AuthCall;

static KefuAuth *
auth_of (Fixture *f)
{
  return kefu_server_get_auth (kefu_test_server_get_server (f->ts));
}

static gboolean
set_proxies_cb (gpointer data)
{
  AuthCall *call = data;
  g_autoptr(GError) error = NULL;

  kefu_auth_set_trusted_proxies (auth_of (call->f), call->list, &error);
  g_assert_no_error (error);
  return G_SOURCE_REMOVE;
}

static void
set_trusted_proxies (Fixture    *f,
                     const char *list)
{
  AuthCall call = { .f = f, .list = list };

  kefu_test_server_invoke (f->ts, set_proxies_cb, &call);
}

static gboolean
hold_cb (gpointer data)
{
  AuthCall *call = data;

  kefu_auth_hold_hashing (auth_of (call->f), call->hold);
  return G_SOURCE_REMOVE;
}

static void
hold_hashing (Fixture  *f,
              gboolean  hold)
{
  AuthCall call = { .f = f, .hold = hold };

  kefu_test_server_invoke (f->ts, hold_cb, &call);
}

static gboolean
queue_length_cb (gpointer data)
{
  AuthCall *call = data;

  call->number = kefu_auth_get_hash_queue_length (auth_of (call->f));
  return G_SOURCE_REMOVE;
}

static guint
hash_queue_length (Fixture *f)
{
  AuthCall call = { .f = f };

  kefu_test_server_invoke (f->ts, queue_length_cb, &call);
  return call.number;
}

static gboolean
stats_cb (gpointer data)
{
  AuthCall *call = data;

  kefu_auth_get_hash_stats (auth_of (call->f), &call->stats);
  return G_SOURCE_REMOVE;
}

static KefuAuthHashStats
hash_stats (Fixture *f)
{
  AuthCall call = { .f = f };

  kefu_test_server_invoke (f->ts, stats_cb, &call);
  return call.stats;
}

static gboolean
reset_stats_cb (gpointer data)
{
  AuthCall *call = data;

  kefu_auth_reset_hash_stats (auth_of (call->f));
  return G_SOURCE_REMOVE;
}

static void
reset_hash_stats (Fixture *f)
{
  AuthCall call = { .f = f };

  kefu_test_server_invoke (f->ts, reset_stats_cb, &call);
}

static SoupMessage *
sign_in_message (Fixture    *f,
                 const char *username,
                 const char *password,
                 const char *forwarded_for)
{
  g_autofree char *url = g_strconcat (kefu_test_server_get_base_url (f->ts), "/session", NULL);
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}",
                                           username, password);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  SoupMessage *msg = soup_message_new ("POST", url);

  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  if (forwarded_for != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Forwarded-For",
                                  forwarded_for);
  return msg;
}

static KefuTestResponse *
response_new (SoupMessage *msg,
              GBytes      *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  KefuTestResponse *r = g_new0 (KefuTestResponse, 1);
  gsize len = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &len) : NULL;

  r->status = soup_message_get_status (msg);
  r->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  r->raw = g_strndup (data != NULL ? data : "", len);
  if (len > 0 && json_parser_load_from_data (parser, r->raw, len, NULL))
    r->body = json_parser_steal_root (parser);
  return r;
}

static KefuTestResponse *
sign_in (Fixture    *f,
         const char *username,
         const char *password,
         const char *forwarded_for)
{
  g_autoptr(SoupMessage) msg = sign_in_message (f, username, password, forwarded_for);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read (f->session, msg, NULL, &error);

  g_assert_no_error (error);
  return response_new (msg, bytes);
}

static const char *
error_code (KefuTestResponse *r)
{
  return kefu_test_error_code (r);
}

/* A refusal in the protocol's shape, with Retry-After; its seconds. */
static guint64
assert_refused (KefuTestResponse *r,
                guint             status,
                const char       *code)
{
  const char *retry;
  guint64 seconds = 0;

  if (r->status != status)
    g_error ("expected %u %s, got %u: %s", status, code, r->status, r->raw);
  g_assert_cmpstr (error_code (r), ==, code);
  g_assert_cmpstr (soup_message_headers_get_content_type (r->headers, NULL), ==,
                   "application/json");
  retry = soup_message_headers_get_one (r->headers, "Retry-After");
  g_assert_nonnull (retry);
  g_assert_true (g_ascii_string_to_unsigned (retry, 10, 1, 3600, &seconds, NULL));
  return seconds;
}

static void
assert_status (KefuTestResponse *r,
               guint             status)
{
  if (r->status != status)
    g_error ("expected %u, got %u: %s", status, r->status, r->raw);
}

/* Many sign-ins in flight at once, answered in any order. */
typedef struct {
  guint      sent;
  guint      answered;
  GPtrArray *responses;   /* KefuTestResponse, in the order of the answers */
} Burst;

typedef struct {
  Burst       *burst;
  SoupMessage *msg;
} Flight;

static void
flight_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Flight *flight = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                               &error);

  g_assert_no_error (error);
  g_ptr_array_add (flight->burst->responses, response_new (flight->msg, bytes));
  flight->burst->answered++;
  g_object_unref (flight->msg);
  g_free (flight);
}

static void
burst_init (Burst *burst)
{
  memset (burst, 0, sizeof *burst);
  burst->responses = g_ptr_array_new_with_free_func ((GDestroyNotify) kefu_test_response_free);
}

static void
burst_clear (Burst *burst)
{
  g_clear_pointer (&burst->responses, g_ptr_array_unref);
}

static void
burst_send (Fixture    *f,
            Burst      *burst,
            const char *username,
            const char *password,
            const char *forwarded_for)
{
  Flight *flight = g_new0 (Flight, 1);

  flight->burst = burst;
  flight->msg = sign_in_message (f, username, password, forwarded_for);
  burst->sent++;
  soup_session_send_and_read_async (f->session, flight->msg, G_PRIORITY_DEFAULT, NULL,
                                    flight_done, flight);
}

static gboolean
wake_up (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the test thread's loop until @n answers have come (two minutes at most). */
static void
burst_wait (Burst *burst,
            guint  n)
{
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  guint tick = g_timeout_add (100, wake_up, NULL);

  while (burst->answered < n)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("only %u of %u answers came", burst->answered, n);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);
}

static guint
count_status (Burst *burst,
              guint  status)
{
  guint n = 0;

  for (guint i = 0; i < burst->responses->len; i++)
    if (((KefuTestResponse *) g_ptr_array_index (burst->responses, i))->status == status)
      n++;
  return n;
}

static void
advance (Fixture *f,
         gint64   usec)
{
  kefu_manual_clock_advance (kefu_test_server_get_clock (f->ts), usec);
}

/* ---- counted before hashing -------------------------------------------------------------- */

/* The finding: 39 wrong passwords and the right one, all at once, got 39 × 401 and one 201,
 * because none was counted until its hash had been checked. Now an attempt counts from the
 * moment it is admitted. The gate is held so that the first five are certainly still in
 * flight when the rest arrive, and the right password comes after them. */
static void
test_in_flight_attempts_count (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(KefuTestResponse) right = NULL;
  g_autoptr(KefuTestResponse) later = NULL;
  KefuAuthHashStats stats;
  Burst burst;

  burst_init (&burst);
  reset_hash_stats (f);
  hold_hashing (f, TRUE);

  for (guint i = 0; i < 39; i++)
    burst_send (f, &burst, "technician", "wrong-guess", NULL);
  /* All but the five admitted are refused at once. */
  burst_wait (&burst, 39 - KEFU_LOGIN_MAX_PAIR_FAILURES);
  g_assert_cmpuint (count_status (&burst, 429), ==, 39 - KEFU_LOGIN_MAX_PAIR_FAILURES);
  g_assert_cmpuint (hash_queue_length (f), ==, KEFU_LOGIN_MAX_PAIR_FAILURES);

  /* The right password, while five wrong ones are still being checked: the limit is
   * reached already. */
  right = sign_in (f, "technician", "demo", NULL);
  assert_refused (right, 429, "too_many_attempts");

  hold_hashing (f, FALSE);
  burst_wait (&burst, 39);
  g_assert_cmpuint (count_status (&burst, 401), ==, KEFU_LOGIN_MAX_PAIR_FAILURES);
  g_assert_cmpuint (count_status (&burst, 201), ==, 0);
  for (guint i = 0; i < burst.responses->len; i++)
    {
      KefuTestResponse *r = g_ptr_array_index (burst.responses, i);

      if (r->status == 429)
        assert_refused (r, 429, "too_many_attempts");
    }

  stats = hash_stats (f);
  g_assert_cmpuint (stats.verifications, ==, KEFU_LOGIN_MAX_PAIR_FAILURES);

  /* Five failures: this address stays refused for this account. */
  later = sign_in (f, "technician", "demo", NULL);
  assert_refused (later, 429, "too_many_attempts");
  g_assert_cmpuint (hash_stats (f).verifications, ==, KEFU_LOGIN_MAX_PAIR_FAILURES);
  burst_clear (&burst);
}

/* The same without holding anything: 40 at once, one of them right. */
static void
test_forty_at_once (Fixture       *f,
                    gconstpointer  data)
{
  KefuAuthHashStats stats;
  Burst burst;

  burst_init (&burst);
  reset_hash_stats (f);
  for (guint i = 0; i < 39; i++)
    burst_send (f, &burst, "manager", "wrong-guess", NULL);
  burst_send (f, &burst, "manager", "demo", NULL);
  burst_wait (&burst, 40);

  stats = hash_stats (f);
  g_test_message ("40 at once: %u × 401, %u × 201, %u × 429; %u hash checks",
                  count_status (&burst, 401), count_status (&burst, 201),
                  count_status (&burst, 429), stats.verifications);
  g_assert_cmpuint (stats.verifications, <=, KEFU_LOGIN_MAX_PAIR_FAILURES);
  g_assert_cmpuint (count_status (&burst, 401) + count_status (&burst, 201), ==,
                    stats.verifications);
  g_assert_cmpuint (count_status (&burst, 201), <=, 1);
  g_assert_cmpuint (count_status (&burst, 429), ==, 40 - stats.verifications);
  burst_clear (&burst);
}

/* ---- the bounded queue in front of argon2id ---------------------------------------------- */

/* 150 sign-ins at once from 150 addresses (behind a trusted proxy) to 150 names, so no
 * throttle applies: only the gate limits them. The finding was 45 argon2id computations at
 * once and 735 MB. */
static void
test_hashing_is_bounded (Fixture       *f,
                         gconstpointer  data)
{
  KefuAuthHashStats stats;
  Burst burst;

  set_trusted_proxies (f, "127.0.0.1");
  burst_init (&burst);
  reset_hash_stats (f);
  for (guint i = 0; i < 150; i++)
    {
      g_autofree char *name = g_strdup_printf ("ghost%u", i);
      g_autofree char *from = g_strdup_printf ("10.1.%u.%u", i / 200, i % 200 + 1);

      burst_send (f, &burst, name, "wrong-guess", from);
    }
  burst_wait (&burst, 150);

  stats = hash_stats (f);
  g_test_message ("150 at once: %u × 401, %u × 503; at most %u hashing at once",
                  count_status (&burst, 401), count_status (&burst, 503), stats.max_running);
  g_assert_cmpuint (stats.max_running, <=, KEFU_AUTH_MAX_HASHING);
  g_assert_cmpuint (stats.max_running, >=, 1);
  g_assert_cmpuint (count_status (&burst, 401), ==, stats.verifications);
  g_assert_cmpuint (count_status (&burst, 401) + count_status (&burst, 503), ==, 150);
  for (guint i = 0; i < burst.responses->len; i++)
    {
      KefuTestResponse *r = g_ptr_array_index (burst.responses, i);

      if (r->status == 503)
        g_assert_cmpuint (assert_refused (r, 503, "unavailable"), ==, 1);
    }
  g_assert_cmpuint (hash_queue_length (f), ==, 0);
  burst_clear (&burst);
}

/* The same with the gate held: exactly the queue's size is admitted, the rest answered 503
 * at once, and once released no more than the cap run together. */
static void
test_queue_is_bounded (Fixture       *f,
                       gconstpointer  data)
{
  const guint admitted = KEFU_AUTH_MAX_HASHING + KEFU_AUTH_MAX_WAITING;
  g_autoptr(KefuTestResponse) busy = NULL;
  KefuAuthHashStats stats;
  Burst burst;

  set_trusted_proxies (f, "127.0.0.1");
  burst_init (&burst);
  reset_hash_stats (f);
  hold_hashing (f, TRUE);
  for (guint i = 0; i < 150; i++)
    {
      g_autofree char *name = g_strdup_printf ("ghost%u", i);
      g_autofree char *from = g_strdup_printf ("10.2.%u.%u", i / 200, i % 200 + 1);

      burst_send (f, &burst, name, "wrong-guess", from);
    }
  burst_wait (&burst, 150 - admitted);
  g_assert_cmpuint (count_status (&burst, 503), ==, 150 - admitted);
  g_assert_cmpuint (hash_queue_length (f), ==, admitted);

  /* Even the right password of a real account waits its turn: the server is busy. */
  busy = sign_in (f, "agent", "demo", "192.0.2.77");
  assert_refused (busy, 503, "unavailable");

  hold_hashing (f, FALSE);
  burst_wait (&burst, 150);
  stats = hash_stats (f);
  g_assert_cmpuint (count_status (&burst, 401), ==, admitted);
  g_assert_cmpuint (stats.verifications, ==, admitted);
  g_assert_cmpuint (stats.max_running, <=, KEFU_AUTH_MAX_HASHING);
  burst_clear (&burst);

  /* And when it is done, sign-in works. */
  {
    g_autoptr(KefuTestResponse) ok = sign_in (f, "agent", "demo", "192.0.2.77");

    assert_status (ok, 201);
  }
}

/* ---- by account and address -------------------------------------------------------------- */

/* Five wrong passwords from one address stop that address for that account, and nobody
 * else: the account's owner at another address signs in. */
static void
test_other_address_signs_in (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(KefuTestResponse) locked = NULL;
  g_autoptr(KefuTestResponse) other = NULL;
  g_autoptr(KefuTestResponse) proxy_itself = NULL;
  g_autoptr(KefuTestResponse) other_account = NULL;

  set_trusted_proxies (f, "127.0.0.1");
  for (guint i = 0; i < KEFU_LOGIN_MAX_PAIR_FAILURES; i++)
    {
      g_autoptr(KefuTestResponse) r = sign_in (f, "admin", "wrong-guess", "198.51.100.7");

      assert_status (r, 401);
    }
  locked = sign_in (f, "admin", "demo", "198.51.100.7");
  g_assert_cmpuint (assert_refused (locked, 429, "too_many_attempts"), >, 14 * 60);

  other = sign_in (f, "admin", "demo", "198.51.100.8");
  assert_status (other, 201);
  /* A client of the proxy's own address (no X-Forwarded-For) is another address too. */
  proxy_itself = sign_in (f, "admin", "demo", NULL);
  assert_status (proxy_itself, 201);
  /* And the stopped address may still sign in to another account. */
  other_account = sign_in (f, "agent", "demo", "198.51.100.7");
  assert_status (other_account, 201);
}

/* Twenty failures from one address, whatever the names, stop the address. */
static void
test_address_limit (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(KefuTestResponse) stopped = NULL;
  g_autoptr(KefuTestResponse) elsewhere = NULL;

  set_trusted_proxies (f, "127.0.0.1");
  for (guint i = 0; i < KEFU_LOGIN_MAX_ADDRESS_FAILURES; i++)
    {
      g_autofree char *name = g_strdup_printf ("nobody%u", i);
      g_autoptr(KefuTestResponse) r = sign_in (f, name, "wrong-guess", "203.0.113.66");

      assert_status (r, 401);
    }
  stopped = sign_in (f, "agent", "demo", "203.0.113.66");
  assert_refused (stopped, 429, "too_many_attempts");
  elsewhere = sign_in (f, "agent", "demo", "203.0.113.67");
  assert_status (elsewhere, 201);
}

/* An account attacked from many addresses: after ten failures each further attempt waits
 * 1 s, 2 s, 4 s, … up to a minute. The owner's usual address is spared the wait; a new one
 * waits like everybody, then signs in. */
static void
test_progressive_delay (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(KefuTestResponse) usual = NULL;
  g_autoptr(KefuTestResponse) owner = NULL;
  g_autoptr(KefuTestResponse) newcomer = NULL;
  g_autoptr(KefuTestResponse) newcomer_later = NULL;
  guint64 previous = 0;
  guint attacker = 0;
  guint at_cap = 0;

  set_trusted_proxies (f, "127.0.0.1");

  /* The owner signs in from the office as usual. */
  usual = sign_in (f, "supervisor", "demo", "203.0.113.50");
  assert_status (usual, 201);

  for (guint i = 0; i <= KEFU_LOGIN_ACCOUNT_FREE_ATTEMPTS; i++)
    {
      g_autofree char *from = g_strdup_printf ("10.3.0.%u", ++attacker);
      g_autoptr(KefuTestResponse) r = sign_in (f, "supervisor", "wrong-guess", from);

      assert_status (r, 401);
    }

  /* From here on: refused until the delay has passed, each delay longer, up to the cap. */
  while (at_cap < 2)
    {
      g_autofree char *from = g_strdup_printf ("10.3.0.%u", ++attacker);
      g_autoptr(KefuTestResponse) refused = sign_in (f, "supervisor", "wrong-guess", from);
      g_autoptr(KefuTestResponse) tried = NULL;
      guint64 wait = assert_refused (refused, 429, "too_many_attempts");

      g_test_message ("attempt from %s: wait %" G_GUINT64_FORMAT " s", from, wait);
      if (previous < KEFU_LOGIN_MAX_DELAY_USEC / G_USEC_PER_SEC)
        g_assert_cmpuint (wait, ==, previous == 0 ? 1 : MIN (2 * previous, 60));
      else
        g_assert_cmpuint (wait, ==, KEFU_LOGIN_MAX_DELAY_USEC / G_USEC_PER_SEC);
      if (wait == KEFU_LOGIN_MAX_DELAY_USEC / G_USEC_PER_SEC)
        at_cap++;
      previous = wait;

      /* Just before the delay ends: still refused. */
      advance (f, wait * G_USEC_PER_SEC - 1);
      tried = sign_in (f, "supervisor", "wrong-guess", from);
      assert_refused (tried, 429, "too_many_attempts");
      g_clear_pointer (&tried, kefu_test_response_free);
      advance (f, 1);
      tried = sign_in (f, "supervisor", "wrong-guess", from);
      assert_status (tried, 401);
    }

  /* In the middle of the attack: the owner at the usual address is not kept out… */
  owner = sign_in (f, "supervisor", "demo", "203.0.113.50");
  assert_status (owner, 201);
  /* …a new address waits like the attackers (a delay, never a lock)… */
  newcomer = sign_in (f, "supervisor", "demo", "198.51.100.99");
  g_assert_cmpuint (assert_refused (newcomer, 429, "too_many_attempts"), <=, 60);
  /* …and is let in once it has passed. */
  advance (f, KEFU_LOGIN_MAX_DELAY_USEC);
  newcomer_later = sign_in (f, "supervisor", "demo", "198.51.100.99");
  assert_status (newcomer_later, 201);

  /* A window after the last failure, the account starts afresh. */
  advance (f, KEFU_LOGIN_WINDOW_USEC);
  for (guint i = 0; i < KEFU_LOGIN_ACCOUNT_FREE_ATTEMPTS; i++)
    {
      g_autofree char *from = g_strdup_printf ("10.3.1.%u", i + 1);
      g_autoptr(KefuTestResponse) r = sign_in (f, "supervisor", "wrong-guess", from);

      assert_status (r, 401);
    }
}

/* Without a trusted proxy, X-Forwarded-For is the client's own words and is ignored. */
static void
test_untrusted_forwarded_for (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(KefuTestResponse) spoofed = NULL;
  g_autoptr(KefuTestResponse) elsewhere = NULL;
  g_autoptr(KefuTestResponse) trusted = NULL;

  for (guint i = 0; i < KEFU_LOGIN_MAX_PAIR_FAILURES; i++)
    {
      g_autofree char *from = g_strdup_printf ("192.0.2.%u", i + 1);
      g_autoptr(KefuTestResponse) r = sign_in (f, "technician2", "wrong-guess", from);

      assert_status (r, 401);
    }
  /* All five came from 127.0.0.1, whatever they claimed. */
  spoofed = sign_in (f, "technician2", "demo", "192.0.2.200");
  assert_refused (spoofed, 429, "too_many_attempts");

  /* Trusting some other proxy changes nothing for a peer that is not it. */
  set_trusted_proxies (f, "10.9.9.9, 172.16.0.0/12");
  elsewhere = sign_in (f, "technician2", "demo", "192.0.2.200");
  assert_refused (elsewhere, 429, "too_many_attempts");

  /* Once 127.0.0.1 is a trusted proxy, its X-Forwarded-For names the client. */
  set_trusted_proxies (f, "10.9.9.9, 127.0.0.0/8");
  trusted = sign_in (f, "technician2", "demo", "192.0.2.200");
  assert_status (trusted, 201);
}

/* ---- the client's address ---------------------------------------------------------------- */

static char *
resolve (const char *proxies,
         const char *peer,
         const char *forwarded_for)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KefuTrustedProxies) trusted = NULL;
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (peer);

  trusted = kefu_trusted_proxies_new_parse (proxies, &error);
  g_assert_no_error (error);
  return kefu_client_address_resolve (trusted, address, forwarded_for);
}

static void
test_client_address (void)
{
  static const struct {
    const char *proxies, *peer, *forwarded_for, *client;
  } cases[] = {
    { NULL, "127.0.0.1", "203.0.113.9", "127.0.0.1" },            /* nobody trusted */
    { "10.0.0.1", "127.0.0.1", "203.0.113.9", "127.0.0.1" },      /* the peer is not trusted */
    { "127.0.0.1", "127.0.0.1", NULL, "127.0.0.1" },              /* no header */
    { "127.0.0.1", "127.0.0.1", "", "127.0.0.1" },
    { "127.0.0.1", "127.0.0.1", "203.0.113.9", "203.0.113.9" },
    /* The client wrote the left part; the proxy appended what it saw. */
    { "127.0.0.1", "127.0.0.1", "198.51.100.1, 203.0.113.9", "203.0.113.9" },
    /* Two proxies of ours in a row. */
    { "127.0.0.1, 10.0.0.0/8", "127.0.0.1", "198.51.100.1, 203.0.113.9, 10.0.0.5",
      "203.0.113.9" },
    /* Every hop trusted: the leftmost is the client. */
    { "127.0.0.1, 10.0.0.0/8", "127.0.0.1", "10.0.0.7,10.0.0.5", "10.0.0.7" },
    /* Not an address: the walk stops at the nearest address to its right. */
    { "127.0.0.1, 10.0.0.0/8", "127.0.0.1", "203.0.113.9, unknown, 10.0.0.5", "10.0.0.5" },
    { "127.0.0.1", "127.0.0.1", "bogus", "127.0.0.1" },
    /* Ports and brackets some proxies add. */
    { "127.0.0.1", "127.0.0.1", "203.0.113.9:5555", "203.0.113.9" },
    { "127.0.0.1", "127.0.0.1", "[2001:db8::1]:443", "2001:db8::1" },
    { "::1", "::1", "2001:db8::2", "2001:db8::2" },
    /* An IPv4 client seen on an IPv6 socket. */
    { "127.0.0.1", "::ffff:127.0.0.1", "203.0.113.9", "203.0.113.9" },
    { NULL, "::ffff:192.0.2.4", NULL, "192.0.2.4" },
  };
  static const char *bad[] = { "10.0.0.0/33", "nope", "127.0.0.1, proxy.example.com",
                               "10.0.0.1/8" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *client = resolve (cases[i].proxies, cases[i].peer,
                                         cases[i].forwarded_for);

      if (g_strcmp0 (client, cases[i].client) != 0)
        g_error ("trusting %s, peer %s, X-Forwarded-For %s: expected %s, got %s",
                 cases[i].proxies, cases[i].peer, cases[i].forwarded_for, cases[i].client,
                 client);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KefuTrustedProxies) trusted = kefu_trusted_proxies_new_parse (bad[i], &error);

      g_assert_null (trusted);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    }
}

/* ---- the password policy ----------------------------------------------------------------- */

static KefuTestResponse *
create_user (Fixture    *f,
             const char *token,
             const char *username,
             const char *password)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"display_name\":\"Someone\","
                                           "\"role\":\"agent\",\"department\":\"customer_service\","
                                           "\"password\":\"%s\"}", username, password);

  return kefu_test_request (f->ts, "POST", "/users", token, body, NULL);
}

static void
assert_password_refused (KefuTestResponse *r,
                         const char       *why)
{
  const char *message;

  if (r->status != 400)
    g_error ("expected 400, got %u: %s", r->status, r->raw);
  g_assert_cmpstr (kefu_test_error_code (r), ==, "validation_failed");
  g_assert_cmpstr (kefu_test_error_field (r), ==, "password");
  message = json_object_get_string_member (
      json_object_get_object_member (kefu_test_object (r), "error"), "message");
  if (strstr (message, why) == NULL)
    g_error ("the message \"%s\" does not say \"%s\"", message, why);
}

static void
test_password_policy (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *admin = kefu_test_login (f->ts, "admin", "demo");
  g_autofree char *path = NULL;
  g_autofree char *session = NULL;
  g_autoptr(KefuTestResponse) created = NULL;
  g_autoptr(KefuTestResponse) gone = NULL;
  static const struct { const char *password, *why; } refused[] = {
    { "abcd", "at least 10 characters" },
    { "    ", "at least 10 characters" },
    { "zhang.wei.ops", "user name" },
    { "Zhang.Wei.Ops", "user name" },
    { "zhang.wei.ops2026", "user name" },
    { "basketball", "dictionary word" },
    { "1234567890", "too easy to guess" },
    { "          ", "too easy to guess" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(KefuTestResponse) r = create_user (f, admin, "zhang.wei.ops",
                                                   refused[i].password);

      g_test_message ("\"%s\": %s", refused[i].password, r->raw);
      assert_password_refused (r, refused[i].why);
    }
  /* Nothing was stored by the refusals. */
  {
    g_autoptr(KefuTestResponse) r = sign_in (f, "zhang.wei.ops", "basketball", NULL);

    assert_status (r, 401);
  }

  created = create_user (f, admin, "zhang.wei.ops", GOOD_PASSWORD);
  assert_status (created, 201);
  session = kefu_test_login (f->ts, "zhang.wei.ops", GOOD_PASSWORD);

  /* PATCH /users/{id} sets a password too, under the same policy — the user name included,
   * which the request does not carry. */
  path = g_strdup_printf ("/users/%" G_GINT64_FORMAT,
                          json_object_get_int_member (kefu_test_object (created), "id"));
  {
    g_autoptr(KefuTestResponse) short_one =
      kefu_test_request (f->ts, "PATCH", path, admin, "{\"password\":\"abcd\"}", NULL);
    g_autoptr(KefuTestResponse) own_name =
      kefu_test_request (f->ts, "PATCH", path, admin, "{\"password\":\"ZHANG.WEI.OPS.1\"}",
                         NULL);
    g_autoptr(KefuTestResponse) word =
      kefu_test_request (f->ts, "PATCH", path, admin, "{\"password\":\"basketball\"}", NULL);
    g_autoptr(KefuTestResponse) still = kefu_test_request (f->ts, "GET", "/me", session,
                                                           NULL, NULL);
    g_autoptr(KefuTestResponse) good =
      kefu_test_request (f->ts, "PATCH", path, admin, "{\"password\":\"Copper-Harbour-77\"}",
                         NULL);

    assert_password_refused (short_one, "at least 10 characters");
    assert_password_refused (own_name, "user name");
    assert_password_refused (word, "dictionary word");
    assert_status (still, 200);   /* refused changes end no session */
    assert_status (good, 200);
  }
  gone = kefu_test_request (f->ts, "GET", "/me", session, NULL, NULL);
  assert_status (gone, 401);
  g_free (kefu_test_login (f->ts, "zhang.wei.ops", "Copper-Harbour-77"));

  /* A Chinese passphrase counts characters, not bytes. */
  {
    g_autoptr(KefuTestResponse) short_zh = create_user (f, admin, "li.na", "春眠不觉晓");
    g_autoptr(KefuTestResponse) long_zh = create_user (f, admin, "li.na", "春眠不觉晓处处闻啼鸟");

    assert_password_refused (short_zh, "at least 10 characters");
    assert_status (long_zh, 201);
  }
}

/* The first administrator's random password passes the policy it will be held to. */
static void
test_random_admin_password (void)
{
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *password = kefu_auth_random_strong_password ("admin");
      g_autoptr(GError) error = NULL;

      g_assert_cmpuint (g_utf8_strlen (password, -1), >=, KEFU_PASSWORD_MIN_CHARS);
      kefu_password_policy_check (password, "admin", &error);
      g_assert_no_error (error);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/sign-in/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("in-flight-attempts-count", test_in_flight_attempts_count);
  ADD ("forty-at-once", test_forty_at_once);
  ADD ("hashing-is-bounded", test_hashing_is_bounded);
  ADD ("queue-is-bounded", test_queue_is_bounded);
  ADD ("other-address-signs-in", test_other_address_signs_in);
  ADD ("address-limit", test_address_limit);
  ADD ("progressive-delay", test_progressive_delay);
  ADD ("untrusted-forwarded-for", test_untrusted_forwarded_for);
  ADD ("password-policy", test_password_policy);
  g_test_add_func ("/sign-in/client-address", test_client_address);
  g_test_add_func ("/sign-in/random-admin-password", test_random_admin_password);

  return g_test_run ();
}
