/* kefu-client-address.h — who the client is, behind trusted reverse proxies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A set of addresses and networks (CIDR) of reverse proxies whose X-Forwarded-For is
 * believed. Immutable once parsed, so it may be shared by reference. */
typedef struct _KefuTrustedProxies KefuTrustedProxies;

/* @list: "ADDR[,ADDR…]", each an IPv4 or IPv6 address or a network "ADDR/PREFIX"; blanks
 * around the commas are allowed. NULL or an empty list trusts nobody. A malformed entry is a
 * G_IO_ERROR_INVALID_ARGUMENT that names it. */
KefuTrustedProxies *kefu_trusted_proxies_new_parse (const char               *list,
                                                    GError                  **error);
KefuTrustedProxies *kefu_trusted_proxies_ref       (KefuTrustedProxies       *self);
void                kefu_trusted_proxies_unref     (KefuTrustedProxies       *self);
guint               kefu_trusted_proxies_get_size  (const KefuTrustedProxies *self);
gboolean            kefu_trusted_proxies_contains  (const KefuTrustedProxies *self,
                                                    GInetAddress             *address);

/* The client's address as a string: @peer (the TCP peer) unless it is a trusted proxy; then
 * the rightmost address of @forwarded_for (the X-Forwarded-For value, several headers joined
 * with commas) that is not itself a trusted proxy. The walk stops at an entry that is not an
 * address (the nearest address to its right is used), and when every entry is a trusted
 * proxy the leftmost is the client. @self NULL trusts nobody. */
char               *kefu_client_address_resolve    (const KefuTrustedProxies *self,
                                                    GInetAddress             *peer,
                                                    const char               *forwarded_for);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KefuTrustedProxies, kefu_trusted_proxies_unref)

G_END_DECLS
