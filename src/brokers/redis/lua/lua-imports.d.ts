// Lua scripts are imported as text so the compiled binary embeds them (see scripts.ts).
declare module '*.lua' {
  const text: string
  export default text
}
