/** The four fields that name an image in Glean: "Type", "ID", "Datasource", "Content ID". */
import { t } from '../shared/i18n.ts';
import { IMAGE_TYPES, type ImageMetadata, type ImageType } from '../shared/imageMetadata.ts';

interface Props {
  value: ImageMetadata;
  onChange: (value: ImageMetadata) => void;
}

export function MetadataFields({ value, onChange }: Props) {
  const field = (name: 'id' | 'ds' | 'cid', label: string, hint: string) => (
    <label class="field">
      <span>{label}</span>
      <input
        type="text"
        name={name}
        value={value[name] ?? ''}
        placeholder={hint}
        // No maxLength: it would cut a pasted value short without a word, and upload under an ID
        // nobody typed. Too long is refused with a message instead (src/shared/metadataCheck.ts).
        autocomplete="off"
        spellcheck={false}
        onInput={(event) => onChange({ ...value, [name]: event.currentTarget.value })}
      />
    </label>
  );
  return (
    <div class="metadata">
      <label class="field">
        <span>{t('fieldType')}</span>
        <select
          name="type"
          value={value.type ?? ''}
            onChange={(event) => onChange({ ...value, type: event.currentTarget.value as ImageType | '' })}
        >
          <option value="">{t('fieldTypeNone')}</option>
          {IMAGE_TYPES.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </label>
      {field('id', t('fieldId'), t('fieldIdHint'))}
      {field('ds', t('fieldDatasource'), t('fieldDatasourceHint'))}
      {field('cid', t('fieldContentId'), t('fieldContentIdHint'))}
    </div>
  );
}
