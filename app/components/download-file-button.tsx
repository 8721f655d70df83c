import { Button } from "@shopify/polaris";
import { useState } from "react";

/**
 * Downloads a file from one of our authenticated routes. Inside the Shopify admin a plain link
 * would load without the session token; fetch carries it (App Bridge adds it to same-origin
 * requests), and the response becomes a file through an object URL.
 */
export function DownloadFileButton({ url, fileName, children }: { url: string; fileName: string; children: string }) {
  const [state, setState] = useState<"idle" | "busy" | "failed">("idle");
  const download = async () => {
    setState("busy");
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`download answered ${response.status}`);
      const href = URL.createObjectURL(await response.blob());
      const link = Object.assign(document.createElement("a"), { href, download: fileName });
      link.click();
      URL.revokeObjectURL(href);
      setState("idle");
    } catch {
      setState("failed");
    }
  };
  return (
    <Button onClick={download} loading={state === "busy"} tone={state === "failed" ? "critical" : undefined}>
      {state === "failed" ? "Download failed, try again" : children}
    </Button>
  );
}
