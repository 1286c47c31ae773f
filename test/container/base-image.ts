import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * A Node base image made from this machine's own Node, for machines that reach no image registry:
 * the `node` binary, npm, a POSIX shell and `env` (npm scripts and bin shims need them), the shared
 * libraries they load, and a user 1000 as in the official `node:*-slim` images. `docker import`ed
 * and tagged, then passed to the Dockerfile as `NODE_IMAGE`.
 */
export function baseImageTag(): string {
  return `ledgerline-test-node:${process.versions.node}`;
}

/** Every shared library of Debian's C and C++ runtime packages, as a slim Debian image has them. */
function runtimeLibraries(): string[] {
  const out = execFileSync('dpkg', ['-L', 'libc6', 'libstdc++6', 'libgcc-s1'], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((path) => /\.so(\.|$)/.test(path) && statSync(path, { throwIfNoEntry: false })?.isFile());
}

export function buildBaseImage(docker: string): string {
  const tag = baseImageTag();
  const known = execFileSync(docker, ['images', '-q', tag], { encoding: 'utf8' }).trim();
  if (known !== '') return tag;
  const root = mkdtempSync(join(tmpdir(), 'ledgerline-rootfs-'));
  try {
    // Debian's merged /usr: /bin, /lib and /lib64 are links into /usr.
    for (const dir of ['usr/bin', 'usr/lib', 'usr/lib64', 'etc', 'tmp', 'root', 'home/node'])
      mkdirSync(join(root, dir), { recursive: true });
    for (const link of ['bin', 'lib', 'lib64']) symlinkSync(`usr/${link}`, join(root, link));
    chmodSync(join(root, 'tmp'), 0o1777);
    const node = execFileSync('readlink', ['-f', process.execPath], { encoding: 'utf8' }).trim();
    const binaries = { '/usr/bin/node': node, '/usr/bin/sh': '/bin/dash', '/usr/bin/env': '/usr/bin/env' };
    for (const [target, source] of Object.entries(binaries)) {
      copyFileSync(source, join(root, target));
      chmodSync(join(root, target), 0o755);
    }
    for (const library of runtimeLibraries()) {
      mkdirSync(dirname(join(root, library)), { recursive: true });
      copyFileSync(library, join(root, library));
    }
    const npmHome = execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim();
    cpSync(join(npmHome, 'npm'), join(root, 'usr/lib/node_modules/npm'), { recursive: true });
    symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', join(root, 'usr/bin/npm'));
    symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', join(root, 'usr/bin/npx'));
    writeFileSync(
      join(root, 'etc/passwd'),
      'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n',
    );
    writeFileSync(join(root, 'etc/group'), 'root:x:0:\nnode:x:1000:\n');
    execFileSync('chown', ['1000:1000', join(root, 'home/node')]);
    const tar = execFileSync('tar', ['-C', root, '-c', '.'], { maxBuffer: 1024 * 1024 * 1024 });
    execFileSync(docker, ['import', '--change', 'ENV PATH=/usr/local/bin:/usr/bin:/bin', '-', tag], {
      input: tar,
      maxBuffer: 16 * 1024 * 1024,
    });
    return tag;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
