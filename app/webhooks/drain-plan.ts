/**
 * One step of a drain round: a webhook that must go alone (everything before it done first,
 * everything after waiting for it), or groups that may run at the same time, each in order.
 */
export type DrainStep<T> = { alone: T } | { groups: T[][] };

/**
 * Splits a claimed batch (in arrival order) into the steps a drain round runs. `laneOf` names a
 * webhook's lane (webhooks of one lane keep their order), or null for one that must go alone.
 * Between two such webhooks, the lanes are dealt to at most `groups` groups, each lane whole and
 * to the group holding the fewest webhooks when the lane first appears, so a group keeps the
 * arrival order of its lanes and the groups stay about the same size. Pure.
 */
export function planDrain<T>(items: T[], laneOf: (item: T) => string | null, groups: number): DrainStep<T>[] {
  const steps: DrainStep<T>[] = [];
  let open: T[][] = [];
  let groupOf = new Map<string, T[]>();
  const close = () => {
    if (open.length > 0) steps.push({ groups: open });
    open = [];
    groupOf = new Map();
  };
  for (const item of items) {
    const lane = laneOf(item);
    if (lane === null) {
      close();
      steps.push({ alone: item });
      continue;
    }
    let group = groupOf.get(lane);
    if (!group) {
      if (open.length < groups) open.push((group = []));
      else group = open.reduce((least, g) => (g.length < least.length ? g : least));
      groupOf.set(lane, group);
    }
    group.push(item);
  }
  close();
  return steps;
}
