// The dashboard's script and stylesheet are imported as text so the compiled binary embeds them.
declare module '*.client.js' {
  const text: string
  export default text
}
declare module '*.css' {
  const text: string
  export default text
}
