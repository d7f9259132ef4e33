// The dashboard's end-to-end tests drive Debian's chromium through playwright-core (never a downloaded browser).
// On a fresh machine of the project's kind (Debian, root, apt reachable) this installs it once, so that
// `npm test` works as the README says; elsewhere it says what to install, and the browser tests then fail
// with the same message rather than being skipped.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const CHROMIUM = process.env.LIFECIRCLE_CHROMIUM || '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    console.error('ensure-browser: installing Debian chromium and fonts-noto-cjk for the dashboard tests…');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    const install =
      update.status === 0 &&
      spawnSync('apt-get', ['install', '-y', '-o', 'DPkg::Lock::Timeout=600', 'chromium', 'fonts-noto-cjk'], {
        stdio: 'inherit',
        env,
      });
    if (!install || install.status !== 0)
      console.error('ensure-browser: apt-get could not install chromium.');
  } else {
    console.error(
      `ensure-browser: ${CHROMIUM} is missing; install Debian's chromium (apt-get install chromium fonts-noto-cjk) ` +
        'or set LIFECIRCLE_CHROMIUM. The dashboard tests will fail until then.',
    );
  }
}
