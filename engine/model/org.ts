// org.ts: one organisation of the directory's tree, as every layer passes it.

export interface OrgNode {
  id: string;
  name: string;
  kind: 'standing_committee' | 'office' | 'committee' | 'district' | 'town' | 'unit' | 'delegation';
  parentId: string | null;
}
