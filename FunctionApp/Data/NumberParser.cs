using System.Globalization;
using System.Runtime.CompilerServices;

namespace ServerlessML.Data;

/// <summary>
/// Parses a number from UTF-8 the way every reader in the project does: invariant culture, to a 32-bit float. Plain
/// decimals (sign, digits, one point) whose digits fit a float exactly take a fast path that is still correctly
/// rounded: one exact integer divided by an exact power of ten is a single IEEE operation. Anything else
/// (exponents, long mantissas, NaN, Infinity) goes to <see cref="float.TryParse(ReadOnlySpan{byte}, NumberStyles, IFormatProvider?, out float)"/>.
/// </summary>
public static class NumberParser
{
    private const uint MaxExactMantissa = 1 << 24;

    private static readonly float[] s_powersOfTen = [1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f];

    public static bool TryParse(ReadOnlySpan<byte> utf8, out float value) =>
        TryParseSimpleDecimal(utf8, out value) || float.TryParse(utf8, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryParseSimpleDecimal(ReadOnlySpan<byte> text, out float value)
    {
        value = 0;
        var i = 0;
        var negative = false;
        if (i < text.Length && text[i] is (byte)'-' or (byte)'+')
        {
            negative = text[i] == (byte)'-';
            i++;
        }

        uint mantissa = 0;
        var digits = 0;
        var fractionDigits = 0;
        var seenPoint = false;
        for (; i < text.Length; i++)
        {
            var digit = (uint)(text[i] - '0');
            if (digit <= 9)
            {
                if (mantissa > (MaxExactMantissa - digit) / 10)
                {
                    return false;
                }

                mantissa = (mantissa * 10) + digit;
                digits++;
                fractionDigits += seenPoint ? 1 : 0;
            }
            else if (text[i] == (byte)'.' && !seenPoint)
            {
                seenPoint = true;
            }
            else
            {
                return false;
            }
        }

        if (digits == 0 || fractionDigits >= s_powersOfTen.Length)
        {
            return false;
        }

        value = fractionDigits == 0 ? mantissa : mantissa / s_powersOfTen[fractionDigits];
        value = negative ? -value : value;
        return true;
    }
}
