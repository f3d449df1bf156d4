/** Each active competition's share of the emission: its weight share over the sum of the active ones (0 when all are 0). */
export const competitionShares = (active: readonly { id: string; weightShare: number }[]): { competitionId: string; weightShare: number; share: number }[] => {
  const total = active.reduce((sum, c) => sum + c.weightShare, 0);
  return active
    .map((c) => ({ competitionId: c.id, weightShare: c.weightShare, share: total > 0 ? c.weightShare / total : 0 }))
    .sort((a, b) => (a.competitionId < b.competitionId ? -1 : 1));
};
