/**
 * Builds the single binary dist/celeriac. Every Worker-thread entrypoint must be listed here:
 * Bun cannot yet find `new Worker(path)` targets by itself, and a missing one only fails in
 * production, as a thread that cannot start.
 */
import { mkdirSync } from 'node:fs'

// The first is the CLI; the rest are Worker-thread entries, referenced by their path below src/.
const ENTRYPOINTS = ['src/main.ts', 'src/tasks/image/image-thread.ts']
const OUTFILE = process.argv[2] ?? 'dist/celeriac'

mkdirSync('dist', { recursive: true })
const args = [
  'build',
  '--compile',
  '--minify',
  '--sourcemap=linked',
  '--bytecode',
  // The binary reads config explicitly; a stray .env or bunfig.toml in cwd must not change it.
  '--no-compile-autoload-dotenv',
  '--no-compile-autoload-bunfig',
  ...ENTRYPOINTS,
  '--outfile',
  OUTFILE,
]
const proc = Bun.spawnSync([process.execPath, ...args], { stdout: 'inherit', stderr: 'inherit' })
process.exit(proc.exitCode ?? 1)
