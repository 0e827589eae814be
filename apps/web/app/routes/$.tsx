// Any address no other route claims: answer 404 and let the root error boundary say so.
export function loader() {
  throw new Response('Not Found', { status: 404, statusText: 'Not Found' })
}

export default function NotFound() {
  return null
}
