import 'server-only';
import { encrypt } from '../crypto/envelope';

// Home province is for no one (DESIGN.md): not in any aggregate, never public, and encrypted at rest
// like the narrative, bound to its subject, so a copy of the database does not tell a family's province.
export const homeProvincePlace = (subjectId: string) => ({ table: 'subject', column: 'home_province', rowId: subjectId });

export const sealHomeProvince = (province: string | undefined | null, subjectId: string) => (province ? encrypt(province, homeProvincePlace(subjectId)) : null);
