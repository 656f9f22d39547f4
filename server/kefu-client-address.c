/* kefu-client-address.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "kefu-client-address.h"

struct _KefuTrustedProxies
{
  GPtrArray *masks;   /* GInetAddressMask */
};

/* A socket of family AF_INET6 that also accepts IPv4 sees 10.0.0.1 as ::ffff:10.0.0.1; both
 * are the same client, and an IPv4 network must match it. */
static GInetAddress *
normalize (GInetAddress *address)
{
  const guint8 *bytes;

  if (g_inet_address_get_family (address) != G_SOCKET_FAMILY_IPV6)
    return g_object_ref (address);
  bytes = g_inet_address_to_bytes (address);
  for (guint i = 0; i < 10; i++)
    if (bytes[i] != 0)
      return g_object_ref (address);
  if (bytes[10] != 0xff || bytes[11] != 0xff)
    return g_object_ref (address);
  return g_inet_address_new_from_bytes (bytes + 12, G_SOCKET_FAMILY_IPV4);
}

KefuTrustedProxies *
kefu_trusted_proxies_new_parse (const char  *list,
                                GError     **error)
{
  g_autoptr(GPtrArray) masks = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) entries = NULL;
  KefuTrustedProxies *self;

  entries = g_strsplit (list != NULL ? list : "", ",", -1);
  for (guint i = 0; entries[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      GInetAddressMask *mask;
      char *entry = g_strstrip (entries[i]);

      if (entry[0] == '\0')
        continue;   /* "a,,b" or a trailing comma */
      mask = g_inet_address_mask_new_from_string (entry, &local_error);
      if (mask == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "trusted proxy “%s” is not an address or a network ADDRESS/PREFIX "
                       "(e.g. 127.0.0.1, ::1 or 10.0.0.0/8): %s", entry, local_error->message);
          return NULL;
        }
      g_ptr_array_add (masks, mask);
    }

  self = g_atomic_rc_box_new0 (KefuTrustedProxies);
  self->masks = g_steal_pointer (&masks);
  return self;
}

static void
trusted_proxies_clear (KefuTrustedProxies *self)
{
  g_ptr_array_unref (self->masks);
}

KefuTrustedProxies *
kefu_trusted_proxies_ref (KefuTrustedProxies *self)
{
  return g_atomic_rc_box_acquire (self);
}

void
kefu_trusted_proxies_unref (KefuTrustedProxies *self)
{
  g_atomic_rc_box_release_full (self, (GDestroyNotify) trusted_proxies_clear);
}

guint
kefu_trusted_proxies_get_size (const KefuTrustedProxies *self)
{
  return self != NULL ? self->masks->len : 0;
}

gboolean
kefu_trusted_proxies_contains (const KefuTrustedProxies *self,
                               GInetAddress             *address)
{
  g_autoptr(GInetAddress) plain = NULL;

  g_return_val_if_fail (G_IS_INET_ADDRESS (address), FALSE);

  if (self == NULL)
    return FALSE;
  plain = normalize (address);
  for (guint i = 0; i < self->masks->len; i++)
    {
      GInetAddressMask *mask = g_ptr_array_index (self->masks, i);

      if (g_inet_address_mask_get_family (mask) == g_inet_address_get_family (plain) &&
          g_inet_address_mask_matches (mask, plain))
        return TRUE;
    }
  return FALSE;
}

/* One X-Forwarded-For entry: "ADDR", "[ADDR6]", "[ADDR6]:PORT" or "ADDR4:PORT" (some
 * proxies add the port), or NULL. */
static GInetAddress *
parse_entry (const char *text)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  g_autoptr(GInetAddress) address = NULL;
  char *host = copy;
  char *colon;

  if (host[0] == '[')
    {
      char *end = strchr (host, ']');

      if (end == NULL || (end[1] != '\0' && end[1] != ':'))
        return NULL;
      *end = '\0';
      host++;
    }
  else if ((colon = strchr (host, ':')) != NULL && strchr (colon + 1, ':') == NULL)
    *colon = '\0';

  address = g_inet_address_new_from_string (host);
  if (address == NULL)
    return NULL;
  return normalize (address);
}

char *
kefu_client_address_resolve (const KefuTrustedProxies *self,
                             GInetAddress             *peer,
                             const char               *forwarded_for)
{
  g_autoptr(GInetAddress) client = NULL;
  g_auto(GStrv) hops = NULL;

  g_return_val_if_fail (G_IS_INET_ADDRESS (peer), NULL);

  client = normalize (peer);
  if (forwarded_for == NULL || !kefu_trusted_proxies_contains (self, client))
    return g_inet_address_to_string (client);

  /* Each trusted proxy appended the address it was talking to: walk from the right while
   * the hop is one of ours. What lies further left was written by the client and is not
   * believed. */
  hops = g_strsplit (forwarded_for, ",", -1);
  for (guint i = g_strv_length (hops); i > 0; i--)
    {
      GInetAddress *hop = parse_entry (hops[i - 1]);

      if (hop == NULL)
        break;
      g_set_object (&client, hop);
      g_object_unref (hop);
      if (!kefu_trusted_proxies_contains (self, client))
        break;
    }
  return g_inet_address_to_string (client);
}
