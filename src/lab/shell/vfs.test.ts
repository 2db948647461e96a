import { describe, expect, it } from 'vitest';
import { createShell, type ShellIO } from './index';
import { VfsError, VirtualFs, completePath, normalize, registerFsCommands } from './vfs';

function setup(files: Record<string, string> = { 'web.yaml': 'kind: Pod\n', 'manifests/a.yaml': 'a: 1\n', 'manifests/b.yaml': 'b: 2' }) {
  const fs = new VirtualFs({ files });
  const shell = registerFsCommands(createShell(), fs);
  const out: string[] = [];
  const err: string[] = [];
  const io: ShellIO = { print: (t) => out.push(t), error: (t) => err.push(t), clear() {} };
  return { fs, shell, io, out, err };
}

describe('VirtualFs', () => {
  it('resolves paths against the working directory and the home', () => {
    const fs = new VirtualFs();
    expect(fs.cwd).toBe('/home/learner');
    expect(fs.resolve('a/../b/./c')).toBe('/home/learner/b/c');
    expect(fs.resolve('~/x')).toBe('/home/learner/x');
    expect(fs.resolve('/etc//hosts/')).toBe('/etc/hosts');
    expect(normalize('../../..', '/a')).toBe('/');
  });

  it('reads, writes, lists sorted, removes; errors carry errno names', () => {
    const fs = new VirtualFs({ files: { 'b.yaml': 'b', 'a.yaml': 'a', '/etc/motd': 'hi' } });
    expect(fs.readdir()).toEqual(['a.yaml', 'b.yaml']);
    expect(fs.readFile('/etc/motd')).toBe('hi');
    expect(fs.files()).toEqual(['/etc/motd', '/home/learner/a.yaml', '/home/learner/b.yaml']);
    expect(() => fs.readFile('nope')).toThrow(VfsError);
    expect(() => fs.readFile('/home')).toThrow('/home: Is a directory');
    expect(() => fs.readFile('a.yaml/x')).toThrow('a.yaml/x: Not a directory');
    expect(fs.exists('a.yaml/x')).toBe(false);
    expect(fs.removeFile('a.yaml')).toBe(true);
    expect(fs.removeFile('a.yaml')).toBe(false);
  });

  it('notifies listeners of writes (the workbench mirrors manifest tabs) but not of identical rewrites', () => {
    const fs = new VirtualFs();
    const changes: string[] = [];
    const off = fs.onChange((c) => changes.push(`${c.type} ${c.path}`));
    fs.writeFile('web.yaml', 'x');
    fs.writeFile('web.yaml', 'x');
    fs.writeFile('web.yaml', 'y');
    fs.removeFile('web.yaml');
    off();
    fs.writeFile('other.yaml', 'z');
    expect(changes).toEqual(['write /home/learner/web.yaml', 'write /home/learner/web.yaml', 'remove /home/learner/web.yaml']);
  });

  it('hands learner code a read-only view', () => {
    const fs = new VirtualFs({ files: { 'web.yaml': 'kind: Pod\n' } });
    const view = fs.readonly();
    expect(view.readFile('web.yaml')).toBe('kind: Pod\n');
    expect(view.readdir()).toEqual(['web.yaml']);
    expect(Object.isFrozen(view)).toBe(true);
    expect('writeFile' in view).toBe(false);
  });
});

describe('ls, cat, pwd, cd', () => {
  it('ls lists the working directory, a directory, or files; -1 and -l', async () => {
    const { shell, io, out } = setup();
    expect(await shell.execute('ls', io)).toBe(0);
    expect(await shell.execute('ls manifests', io)).toBe(0);
    expect(await shell.execute('ls -1 manifests', io)).toBe(0);
    expect(await shell.execute('ls -l manifests/b.yaml web.yaml', io)).toBe(0);
    expect(out).toEqual(['manifests  web.yaml', 'a.yaml  b.yaml', 'a.yaml\nb.yaml', '-rw-r--r-- 1 learner learner     4 manifests/b.yaml\n-rw-r--r-- 1 learner learner    10 web.yaml']);
  });

  it('ls and cat report missing files as coreutils does', async () => {
    const { shell, io, err } = setup();
    expect(await shell.execute('ls nope', io)).toBe(2);
    expect(await shell.execute('cat nope manifests', io)).toBe(1);
    expect(await shell.execute('ls -z', io)).toBe(2);
    expect(err).toEqual(["ls: cannot access 'nope': No such file or directory", 'cat: nope: No such file or directory', 'cat: manifests: Is a directory', "ls: invalid option -- 'z'"]);
  });

  it('cat prints files; cd and pwd move around', async () => {
    const { shell, io, out, err } = setup();
    await shell.execute('cat web.yaml manifests/b.yaml', io);
    await shell.execute('cd manifests', io);
    await shell.execute('pwd', io);
    await shell.execute('cat a.yaml', io);
    await shell.execute('cd', io);
    await shell.execute('pwd', io);
    expect(await shell.execute('cd web.yaml', io)).toBe(1);
    expect(out).toEqual(['kind: Pod', 'b: 2', '/home/learner/manifests', 'a: 1', '/home/learner']);
    expect(err).toEqual(['cd: web.yaml: Not a directory']);
  });

  it('completes paths, directories with a trailing slash', () => {
    const { fs, shell } = setup();
    expect(completePath(fs, '')).toEqual(['manifests/', 'web.yaml']);
    expect(completePath(fs, 'manifests/')).toEqual(['manifests/a.yaml', 'manifests/b.yaml']);
    expect(completePath(fs, 'nope/')).toEqual([]);
    expect(shell.complete('cat w').candidates).toEqual(['web.yaml']);
    expect(shell.complete('cd ').candidates).toEqual(['manifests/']);
  });
});
