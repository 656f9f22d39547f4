#!/usr/bin/env python3
# check-manifest.py FLATPAK_BUILDER MANIFEST APP_ID
#
# flatpak-builder must accept the manifest (--show-manifest parses it the way a build would,
# without downloading the runtime), and what it reads must be what Kefu ships: a supported
# GNOME runtime, the client only, and exactly the permissions the client needs. Exit 77 (skipped)
# when flatpak-builder is not installed.
import json
import shutil
import subprocess
import sys

builder, manifest, app_id = sys.argv[1:4]

# GNOME runtimes are supported for about a year: the two newest stable branches. Update this
# list (and the manifest) when a GNOME release comes out.
SUPPORTED_RUNTIMES = {'50', '51'}
PERMISSIONS = ['--share=network', '--share=ipc', '--socket=wayland', '--socket=fallback-x11',
               '--device=dri']

if shutil.which(builder) is None:
    print('SKIP: flatpak-builder is not installed')
    sys.exit(77)

result = subprocess.run([builder, '--show-manifest', manifest], capture_output=True, text=True)
if result.returncode != 0:
    sys.exit(f'FAIL: flatpak-builder rejected {manifest}:\n{result.stderr}')
m = json.loads(result.stdout)

failures = []
def expect(what, got, wanted):
    if got != wanted:
        failures.append(f'{what} is {got!r}, expected {wanted!r}')

expect('id', m.get('id') or m.get('app-id'), app_id)
expect('runtime', m.get('runtime'), 'org.gnome.Platform')
expect('sdk', m.get('sdk'), 'org.gnome.Sdk')
expect('command', m.get('command'), 'kefu')
if m.get('runtime-version') not in SUPPORTED_RUNTIMES:
    failures.append(f'runtime-version {m.get("runtime-version")!r} is not a supported GNOME '
                    f'runtime ({", ".join(sorted(SUPPORTED_RUNTIMES))})')
expect('finish-args', sorted(m.get('finish-args', [])), sorted(PERMISSIONS))

modules = [mod for mod in m.get('modules', []) if isinstance(mod, dict)]
kefu = [mod for mod in modules if mod.get('name') == 'kefu']
if len(kefu) != 1:
    failures.append('there is no module "kefu"')
else:
    expect('kefu buildsystem', kefu[0].get('buildsystem'), 'meson')
    if '-Dserver=false' not in kefu[0].get('config-opts', []):
        failures.append('the kefu module builds the server too (no -Dserver=false)')

if failures:
    sys.exit('FAIL: ' + '\nFAIL: '.join(failures))
print(f'PASS: {manifest} (GNOME {m["runtime-version"]}, {" ".join(PERMISSIONS)})')
