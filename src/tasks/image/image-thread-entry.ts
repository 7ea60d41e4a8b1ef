/**
 * Where the image thread's code is. From source it sits next to this file. In the compiled binary
 * every entrypoint is embedded under /$bunfs/root by its path below the entrypoints' common folder
 * (src/, see scripts/build.ts), and `new Worker` resolves a relative name there; import.meta.url
 * would instead point at the build machine's source tree.
 */
export function imageThreadEntry(): string {
  return Bun.isStandaloneExecutable
    ? './tasks/image/image-thread.ts'
    : new URL('./image-thread.ts', import.meta.url).href
}
