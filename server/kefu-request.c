/* kefu-request.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kefu-error.h"
#include "kefu-json-input.h"
#include "kefu-request.h"
#include "kefu-server.h"

KefuRequest *
kefu_request_ref (KefuRequest *req)
{
  g_return_val_if_fail (req != NULL, NULL);

  g_atomic_ref_count_inc (&req->ref_count);
  if (!req->replied && !req->paused)
    {
      soup_server_message_pause (req->msg);
      req->paused = TRUE;
    }
  return req;
}

void
kefu_request_unref (KefuRequest *req)
{
  g_return_if_fail (req != NULL);

  if (!g_atomic_ref_count_dec (&req->ref_count))
    return;

  if (!req->replied)
    {
      g_warning ("%s %s dropped without a reply", req->method,
                 g_uri_get_path (soup_server_message_get_uri (req->msg)));
      req->ref_count = 1;  /* reply needs a live request */
      kefu_request_reply_error_literal (req, KEFU_ERROR_INTERNAL, "no reply");
    }

  g_clear_object (&req->msg);
  g_clear_pointer (&req->user, kefu_user_free);
  g_clear_pointer (&req->params, g_strfreev);
  g_clear_pointer (&req->query, g_hash_table_unref);
  g_clear_pointer (&req->peer, g_free);
  g_free (req);
}

static void
finish_reply (KefuRequest *req)
{
  req->replied = TRUE;
  if (req->paused)
    {
      req->paused = FALSE;
      soup_server_message_unpause (req->msg);
    }
}

void
kefu_request_pass (KefuRequest *req)
{
  g_return_if_fail (req != NULL);
  g_return_if_fail (!req->replied);

  finish_reply (req);
}

void
kefu_request_reply_json (KefuRequest *req,
                         guint        status,
                         JsonNode    *node)
{
  g_autoptr(JsonGenerator) gen = NULL;
  gsize len = 0;
  char *text;

  g_return_if_fail (req != NULL);
  g_return_if_fail (!req->replied);
  g_return_if_fail (node != NULL);

  gen = json_generator_new ();
  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, &len);

  soup_server_message_set_status (req->msg, status, NULL);
  soup_server_message_set_response (req->msg, "application/json", SOUP_MEMORY_TAKE, text, len);
  finish_reply (req);
}

/**
 * kefu_request_reply_text:
 * @text: (transfer full): the body, freed by the reply
 *
 * Replies with @text as the body, for answers made as text rather than as a JSON tree.
 */
void
kefu_request_reply_text (KefuRequest *req,
                         guint        status,
                         const char  *content_type,
                         GString     *text)
{
  gsize len;
  char *data;

  g_return_if_fail (req != NULL);
  g_return_if_fail (!req->replied);
  g_return_if_fail (content_type != NULL);
  g_return_if_fail (text != NULL);

  len = text->len;
  data = g_string_free (text, FALSE);
  soup_server_message_set_status (req->msg, status, NULL);
  soup_server_message_set_response (req->msg, content_type, SOUP_MEMORY_TAKE, data, len);
  finish_reply (req);
}

void
kefu_request_reply_empty (KefuRequest *req,
                          guint        status)
{
  g_return_if_fail (req != NULL);
  g_return_if_fail (!req->replied);

  soup_server_message_set_status (req->msg, status, NULL);
  finish_reply (req);
}

static void
reply_error_full (KefuRequest   *req,
                  KefuErrorCode  code,
                  const char    *message,
                  const char    *field)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, kefu_error_code_to_string (code));
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  if (field != NULL)
    {
      json_builder_set_member_name (b, "field");
      json_builder_add_string_value (b, field);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);

  kefu_request_reply_json (req, kefu_error_code_http_status (code), root);
}

void
kefu_request_reply_error_literal (KefuRequest   *req,
                                  KefuErrorCode  code,
                                  const char    *message)
{
  reply_error_full (req, code, message, NULL);
}

void
kefu_request_reply_error (KefuRequest  *req,
                          const GError *error)
{
  g_return_if_fail (req != NULL);
  g_return_if_fail (error != NULL);

  if (error->domain == KEFU_ERROR && error->code >= 0 && error->code < KEFU_ERROR_LAST)
    {
      reply_error_full (req, error->code, error->message, kefu_error_get_field (error));
      return;
    }

  g_warning ("%s %s failed: %s", req->method,
             g_uri_get_path (soup_server_message_get_uri (req->msg)), error->message);
  reply_error_full (req, KEFU_ERROR_INTERNAL, "internal server error", NULL);
}

JsonNode *
kefu_request_parse_body (KefuRequest  *req,
                         gboolean      allow_empty,
                         GError      **error)
{
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  const char *content_type;
  const char *data;
  gsize len;

  bytes = soup_message_body_flatten (body);
  data = g_bytes_get_data (bytes, &len);

  if (len == 0)
    {
      if (!allow_empty)
        g_set_error_literal (error, KEFU_ERROR, KEFU_ERROR_BAD_JSON,
                             "the request needs a JSON body");
      return NULL;
    }

  content_type = soup_message_headers_get_content_type (headers, NULL);
  if (content_type != NULL && g_ascii_strcasecmp (content_type, "application/json") != 0)
    {
      g_set_error (error, KEFU_ERROR, KEFU_ERROR_UNSUPPORTED_MEDIA_TYPE,
                   "expected Content-Type application/json, got %s", content_type);
      return NULL;
    }

  if (!g_utf8_validate (data, len, NULL))
    {
      g_set_error_literal (error, KEFU_ERROR, KEFU_ERROR_BAD_JSON,
                           "the request body is not valid UTF-8");
      return NULL;
    }

  /* json-glib cuts a string at a \u0000 escape without a word: refuse those rather than store
   * something other than what was sent. */
  for (gsize i = 0; i + 1 < len; i++)
    if (data[i] == '\\')
      {
        if (data[i + 1] == 'u' && i + 5 < len && memcmp (data + i + 2, "0000", 4) == 0)
          {
            kefu_set_field_error (error, NULL, "text may not contain NUL characters");
            return NULL;
          }
        i++;   /* skip the escaped character */
      }

  /* Bounded: json-glib recurses once per level of nesting, on this (the main) thread's
   * stack; a body of brackets must not reach it. */
  root = kefu_json_parse_bounded (data, len, &local_error);
  if (local_error != NULL)
    {
      if (g_error_matches (local_error, KEFU_ERROR, KEFU_ERROR_BAD_JSON))
        g_prefix_error_literal (&local_error, "the request body: ");
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return root;
}

gboolean
kefu_request_get_if_match (KefuRequest  *req,
                           gint64       *out_version,
                           GError      **error)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  const char *value = soup_message_headers_get_one (headers, "If-Match");
  g_autofree char *copy = NULL;
  char *s;
  gint64 v;

  if (value == NULL)
    {
      g_set_error_literal (error, KEFU_ERROR, KEFU_ERROR_PRECONDITION_REQUIRED,
                           "this change needs an If-Match header with the ticket's version");
      return FALSE;
    }

  copy = g_strstrip (g_strdup (value));
  s = copy;
  if (g_str_has_prefix (s, "W/"))
    s += 2;
  if (*s == '"')
    {
      gsize n = strlen (s);

      if (n < 2 || s[n - 1] != '"')
        goto bad;
      s[n - 1] = '\0';
      s++;
    }

  if (!kefu_parse_decimal (s, 0, G_MAXINT64, &v))
    goto bad;

  *out_version = v;
  return TRUE;

bad:
  kefu_set_field_error (error, "If-Match", "If-Match must be the ticket's version number");
  return FALSE;
}

const char *
kefu_request_get_query (KefuRequest *req,
                        const char  *name)
{
  if (req->query == NULL)
    return NULL;
  return g_hash_table_lookup (req->query, name);
}

typedef struct {
  KefuRequest          *req;
  KefuRequestWriteDone  done;
  GDestroyNotify        result_destroy;
} WriteData;

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  WriteData *wd = user_data;
  g_autoptr(KefuRequest) req = wd->req;
  g_autoptr(GError) error = NULL;
  gpointer value;

  value = kefu_store_write_finish (KEFU_STORE (object), result, &error);

  if (wd->done != NULL)
    wd->done (req, value, error);
  else if (error != NULL)
    kefu_request_reply_error (req, error);
  else
    kefu_request_reply_empty (req, SOUP_STATUS_NO_CONTENT);

  if (value != NULL && wd->result_destroy != NULL)
    wd->result_destroy (value);
  g_free (wd);
}

void
kefu_request_write (KefuRequest          *req,
                    KefuStoreWriteFunc    func,
                    gpointer              data,
                    GDestroyNotify        data_destroy,
                    GDestroyNotify        result_destroy,
                    KefuRequestWriteDone  done)
{
  WriteData *wd;
  KefuStore *store;

  g_return_if_fail (req != NULL);
  g_return_if_fail (func != NULL);

  store = kefu_server_get_store (req->server);
  wd = g_new0 (WriteData, 1);
  wd->req = kefu_request_ref (req);
  wd->done = done;
  /* Finishing the task hands us the result: @done borrows it, then we free it. */
  wd->result_destroy = result_destroy;

  kefu_store_write_async (store, func, data, data_destroy, result_destroy, NULL,
                          write_cb, wd);
}
