/**
 * `systemctl status|start|stop|restart|enable|disable|is-active|is-enabled|daemon-reload <unit>`
 * over a host's systemd, with systemd v252's messages and exit statuses (status: 0 running, 3
 * not running, 4 no such unit; start: 5 no such unit). `enable` links the unit into
 * multi-user.target.wants as systemd does, and says so.
 */
import type { Host } from '../../../sim/host/host';
import { Systemd } from '../../../sim/host/index';
import type { ShellIO } from '../registry';

const WANTS = '/etc/systemd/system/multi-user.target.wants';

// Upstream: systemd src/systemctl/systemctl.c (systemctl_main), systemctl-start-unit.c, systemctl-enable.c, systemctl-is-active.c
export function runSystemctl(host: Host, argv: string[], io: ShellIO): number {
  const now = argv.includes('--now');
  const args = argv.filter((a) => !a.startsWith('-'));
  const [verb = 'list-units', ...units] = args;
  const sd = host.systemd;
  const need = () => {
    if (units.length === 0) {
      io.error(`Too few arguments.`);
      return false;
    }
    return true;
  };
  switch (verb) {
    case 'daemon-reload':
      return 0;
    case 'status': {
      if (!need()) return 1;
      let status = 0;
      const blocks: string[] = [];
      for (const u of units) {
        const name = Systemd.unitName(u);
        if (!sd.exists(name)) {
          io.error(`Unit ${name} could not be found.`);
          status = 4;
          continue;
        }
        blocks.push(sd.status(name));
        if (sd.get(name)!.activeState !== 'active' && status === 0) status = 3;
      }
      if (blocks.length) io.print(blocks.join('\n\n'));
      return status;
    }
    case 'start':
    case 'stop':
    case 'restart': {
      if (!need()) return 1;
      for (const u of units) {
        const name = Systemd.unitName(u);
        if (!sd.exists(name)) {
          io.error(`Failed to ${verb} ${name}: Unit ${name} not found.`);
          return 5;
        }
        sd[verb](name);
      }
      return 0;
    }
    case 'enable':
    case 'disable': {
      if (!need()) return 1;
      for (const u of units) {
        const name = Systemd.unitName(u);
        const unit = sd.get(name);
        if (!unit) {
          io.error(`Failed to ${verb} unit: Unit file ${name} does not exist.`);
          return 1;
        }
        const link = `${WANTS}/${name}`;
        if (verb === 'enable' && unit.enabled !== 'enabled') {
          host.fs.mkdirAll(WANTS);
          if (!host.fs.exists(link)) host.fs.symlink(unit.file.fragmentPath, link);
          io.print(`Created symlink ${link} → ${unit.file.fragmentPath}.`);
        }
        if (verb === 'disable' && unit.enabled === 'enabled') {
          host.fs.removeAll(link);
          io.print(`Removed "${link}".`);
        }
        sd[verb](name);
        if (now) {
          if (verb === 'enable') sd.start(name);
          else sd.stop(name);
        }
      }
      return 0;
    }
    case 'is-active': {
      if (!need()) return 1;
      let status = 0;
      for (const u of units) {
        const s = sd.get(u)?.activeState ?? 'inactive';
        io.print(s);
        if (s !== 'active') status = 3;
      }
      return status;
    }
    case 'is-enabled': {
      if (!need()) return 1;
      let status = 0;
      for (const u of units) {
        const unit = sd.get(u);
        if (!unit) {
          io.error(`Failed to get unit file state for ${Systemd.unitName(u)}: No such file or directory`);
          return 1;
        }
        io.print(unit.enabled);
        if (unit.enabled !== 'enabled') status = 1;
      }
      return status;
    }
    case 'list-units': {
      const rows = Object.values(sd.units).map((u) => `  ${u.file.name.padEnd(24)} loaded ${u.activeState.padEnd(10)} ${u.subState.padEnd(12)} ${u.file.description}`);
      io.print([`  ${'UNIT'.padEnd(24)} LOAD   ${'ACTIVE'.padEnd(10)} ${'SUB'.padEnd(12)} DESCRIPTION`, ...rows].join('\n'));
      return 0;
    }
    default:
      io.error(`Unknown command verb '${verb}'.`);
      return 1;
  }
}
