/**
 * The signed-in workspace. It owns every piece of patient data the renderer holds (search results, encounter,
 * record views), all in React state under this component, so unmounting it on lock drops them all at once.
 */
import { useState } from 'react';
import type { EncounterView } from '../../../src-shared/domain/records';
import { api } from '../app/api';
import { PatientSearch } from './PatientSearch';
import { Encounter } from './Encounter';

export function Workspace() {
  const [encounter, setEncounter] = useState<EncounterView | null>(null);

  const changePatient = () => {
    setEncounter(null);
    // Ends the encounter in main too, so permission is asked again next time.
    void api().encounter.close({});
  };

  return encounter ? (
    <Encounter
      key={encounter.patient.nhsNumber}
      encounter={encounter}
      onEncounter={setEncounter}
      onChangePatient={changePatient}
    />
  ) : (
    <PatientSearch onOpen={setEncounter} />
  );
}
