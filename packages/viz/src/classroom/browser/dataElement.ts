/** The id of the `<script type="application/json">` element that carries the classroom's scenarios. */
export const CLASSROOM_DATA_ID = 'meshsim-classroom-data';
