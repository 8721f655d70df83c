import { useSyncExternalStore } from "react";

// Nothing to subscribe to: the answer only differs between the server snapshot and the client's.
const subscribeToNothing = () => () => {};

/** False during server rendering and hydration, true once the component has mounted in the browser. */
export function useMounted(): boolean {
  return useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
}
