import { writeOpenApiDocument } from './openapi.js'

console.log(`wrote ${await writeOpenApiDocument(process.argv[2])}`)
