export { planMessages } from "./plan";
export { readJourneySettings, DEFAULT_JOURNEY_SETTINGS, JourneySettingsSchema } from "./settings";
export { consentStatus, initialState, stageOf } from "./state";
export { transition } from "./transition";
export { STAGES } from "./types";
export type * from "./types";
