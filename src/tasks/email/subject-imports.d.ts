// A template's default subject line, imported as text (see email-templates.ts).
declare module '*.subject' {
  const text: string
  export default text
}
