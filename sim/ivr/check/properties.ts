// The properties `callsim check` proves of a menu, by name. Static ones read the menu
// file; exhaustive ones walk every state the engine can reach under every context the
// calendar produces; model-based ones drive random calls through the engine in time.

export const STATIC_PROPERTIES = [
  'targets-exist',
  'keys-valid',
  'options-have-actions',
  'announcements-continue',
  'variants-cover-every-context',
  'menus-reachable',
] as const;

export const DYNAMIC_PROPERTIES = [
  'every-path-ends',
  'star-returns-to-parent',
  'invalid-key-replays',
  'no-queue-outside-hours',
  'centers-reachable',
  'no-engine-error',
] as const;

export type StaticProperty = (typeof STATIC_PROPERTIES)[number];
export type DynamicProperty = (typeof DYNAMIC_PROPERTIES)[number];
export type PropertyName = StaticProperty | DynamicProperty;

export const PROPERTY_NAMES: readonly PropertyName[] = [...STATIC_PROPERTIES, ...DYNAMIC_PROPERTIES];

/** The dynamic properties that hold call by call, so random calls can check them too. */
export const PER_CALL_PROPERTIES: readonly DynamicProperty[] = [
  'every-path-ends',
  'star-returns-to-parent',
  'invalid-key-replays',
  'no-queue-outside-hours',
  'no-engine-error',
];

export const DESCRIPTIONS: Readonly<Record<PropertyName, string>> = {
  'targets-exist': 'every menu, `then`, `next`, `onNoInput` and queue center named exists',
  'keys-valid': 'every option key is one of 0-9 * #',
  'options-have-actions': 'every option has an action',
  'announcements-continue': 'a variant without options says what follows it (`next`)',
  'variants-cover-every-context': 'in every menu, some variant holds for every caller at every moment',
  'menus-reachable': 'every menu can be reached from the entry menu',
  'every-path-ends': 'from every point a call can still end (hang-up, queue, transfer), and a caller who presses nothing is let go within a bound',
  'star-returns-to-parent': '`*` in a submenu returns to its parent, the menu the caller came from',
  'invalid-key-replays': 'a key without an option plays the error prompt and replays the same menu',
  'no-queue-outside-hours': 'outside agent hours no call joins an agent queue (unless queueOutsideHours)',
  'centers-reachable': 'inside agent hours, some caller reaches the agent queue of every center',
  'no-engine-error': 'the IVR engine accepts every event a caller and the clock can produce',
};

export function isPropertyName(name: string): name is PropertyName {
  return (PROPERTY_NAMES as readonly string[]).includes(name);
}
