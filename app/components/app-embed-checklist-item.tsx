import { Link, List } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { appEmbedActive, themeEditorEmbedLink, type ExtensionInfo } from "~/setup/app-embed";

type AppBridgeWithExtensions = { app?: { extensions?: () => Promise<ExtensionInfo[]> } };

/** "Turn on the app embed", ticked from App Bridge's live answer (app/setup/app-embed.ts). */
export function AppEmbedChecklistItem({ shop, apiKey }: { shop: string; apiKey: string }) {
  const [active, setActive] = useState<boolean | null>(null);
  useEffect(() => {
    let current = true;
    const bridge = (window as unknown as { shopify?: AppBridgeWithExtensions }).shopify;
    Promise.resolve(bridge?.app?.extensions?.() ?? [])
      .then((extensions) => current && setActive(appEmbedActive(extensions)))
      .catch(() => current && setActive(false));
    return () => {
      current = false;
    };
  }, []);
  return (
    <List.Item>
      <span data-embed-state={active === null ? "checking" : active ? "on" : "off"}>{`${active ? "✓" : "○"} Turn on the "Nudge SMS sign-up" app embed in your theme`}</span>
      {active === false ? (
        <>
          {" "}
          <Link url={themeEditorEmbedLink(shop, apiKey)} target="_top">
            Turn it on in the theme editor
          </Link>
        </>
      ) : null}
    </List.Item>
  );
}
